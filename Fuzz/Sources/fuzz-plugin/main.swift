import FuzzSupport

runFuzzer { data, size in fuzzPlugin(UnsafeRawPointer(data), size) }
