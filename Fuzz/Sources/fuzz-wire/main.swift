import FuzzSupport

runFuzzer { data, size in fuzzWire(UnsafeRawPointer(data), size) }
