import FuzzSupport

runFuzzer { data, size in fuzzText(UnsafeRawPointer(data), size) }
