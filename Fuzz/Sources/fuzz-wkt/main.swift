import FuzzSupport

runFuzzer { data, size in fuzzWellKnownTypes(UnsafeRawPointer(data), size) }
