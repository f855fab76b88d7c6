import FuzzSupport

runFuzzer { data, size in fuzzJSON(UnsafeRawPointer(data), size) }
