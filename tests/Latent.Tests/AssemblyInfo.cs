// Training tests seed libtorch's global generator and measure thresholds; running them one at a
// time keeps every test reproducible and leaves libtorch's threads to the one test that runs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
