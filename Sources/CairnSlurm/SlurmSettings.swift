import CairnSpec

/// How Cairn talks to the cluster.
public struct SlurmSettings: Sendable {
    /// What a stage's job asks for where its `resources:` says nothing (`slurm:` in `.cairn/config`).
    public var defaults = StageResources()
    /// After a job killed for memory (or by Slurm's time limit), the next attempt asks for this
    /// many times the memory (or time).
    public var growth = 2.0
    /// The `cairn` that jobs run (`cairn stage-exec`): this one, on the shared file system.
    public var cairn: String
    /// How long a job Slurm no longer lists may take to show its result file (NFS attribute caches).
    public var grace: Duration
    public var firstPoll: Duration
    public var lastPoll: Duration

    public init(cairn: String, grace: Duration = .seconds(30),
                firstPoll: Duration = .milliseconds(100), lastPoll: Duration = .seconds(3)) {
        self.cairn = cairn
        self.grace = grace
        self.firstPoll = firstPoll
        self.lastPoll = lastPoll
    }
}
