// One studio serves every test, and its live sessions share a bound of 4: tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
