using Xunit;

// Collections wait on processes and timers far more than they compute: three at once keep 2 cores busy without
// starving any (the end-to-end node, the cluster, and the classes that start nodes of their own).
[assembly: CollectionBehavior(MaxParallelThreads = 3)]
