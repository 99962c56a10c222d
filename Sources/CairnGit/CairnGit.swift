// CairnGit is not built yet; this target holds its place in the layout.
