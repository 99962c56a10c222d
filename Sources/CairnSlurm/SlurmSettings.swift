/// How Cairn talks to the cluster.
public struct SlurmSettings: Sendable {
    /// The `cairn` that jobs run (`cairn stage-exec`): this one, on the shared file system.
    public var cairn: String
    /// Extra `sbatch` arguments for every job (`--partition=gpu`).
    public var sbatchArguments: [String]
    /// How long a job Slurm no longer lists may take to show its result file (NFS attribute caches).
    public var grace: Duration
    public var firstPoll: Duration
    public var lastPoll: Duration

    public init(cairn: String, sbatchArguments: [String] = [], grace: Duration = .seconds(30),
                firstPoll: Duration = .milliseconds(100), lastPoll: Duration = .seconds(3)) {
        self.cairn = cairn
        self.sbatchArguments = sbatchArguments
        self.grace = grace
        self.firstPoll = firstPoll
        self.lastPoll = lastPoll
    }
}
