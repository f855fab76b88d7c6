import FuzzSupport

runFuzzer { data, size in fuzzGeoJSON(UnsafeRawPointer(data), size) }
