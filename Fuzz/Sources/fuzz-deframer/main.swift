import FuzzSupport

runFuzzer { data, size in fuzzDeframer(UnsafeRawPointer(data), size) }
