/// The order in which map entries are written, found for every map type by this one
/// non-generic code: generated code only gathers each key's `MapKey.mapOrderPrefix` and
/// writes the entries in the order returned.
@usableFromInline
enum MapOrder {
    /// Sorts the positions `0..<count` by key and returns a mask: on return, `words[j] & mask`
    /// is the position of the `j`-th key in order. `prefixes[i]` is the prefix of the key at
    /// position `i`; keys with equal prefixes are ordered by `precedes` (called with positions).
    /// `words` and `scratch` have room for `count` values; `count` is at least 2.
    ///
    /// Each position is packed below as many bits of its prefix as fit in one word (leaving out
    /// the bits every key shares), those words are sorted by a radix sort, and only keys that tie
    /// on the packed bits are compared further.
    @usableFromInline
    static func sort(
        _ words: UnsafeMutablePointer<UInt64>, prefixes: UnsafePointer<UInt64>, scratch: UnsafeMutablePointer<UInt64>,
        count n: Int, by precedes: (Int, Int) -> Bool
    ) -> UInt64 {
        var lo = UInt64.max
        var hi: UInt64 = 0
        for i in 0..<n {
            let p = prefixes[i]
            if p < lo { lo = p }
            if p > hi { hi = p }
        }
        // Positions take whole bytes, so that the radix sort's bytes line up with the keys'.
        let positionBits = UInt64(64 - UInt64(n &- 1).leadingZeroBitCount + 7) & ~7
        let mask: UInt64 = (1 &<< positionBits) &- 1
        // Every prefix between the smallest and the largest shares the bits above the highest
        // one in which those two differ: they are left out, and as many of the bits below as fit.
        let varyingBits = UInt64(64 - (hi ^ lo).leadingZeroBitCount)
        let varying: UInt64 = varyingBits == 64 ? ~0 : (1 &<< varyingBits) &- 1
        let shift = varyingBits > 64 &- positionBits ? varyingBits &- (64 &- positionBits) : 0
        for i in 0..<n {
            words[i] = ((prefixes[i] & varying) &>> shift) &<< positionBits | UInt64(truncatingIfNeeded: i)
        }
        sortWords(words, scratch: scratch, count: n, positionBits: positionBits)
        // Runs whose packed bits tie: ordered by whole prefix, then by `precedes`.
        var j = 1
        while j < n {
            if (words[j] ^ words[j &- 1]) &>> positionBits != 0 {
                j &+= 1
                continue
            }
            let start = j &- 1
            var stop = j &+ 1
            while stop < n, (words[stop] ^ words[start]) &>> positionBits == 0 { stop &+= 1 }
            sortRun(words + start, count: stop &- start, scratch: scratch) { a, b in
                let i = Int(truncatingIfNeeded: a & mask), j = Int(truncatingIfNeeded: b & mask)
                let p = prefixes[i], q = prefixes[j]
                return p != q ? p < q : precedes(i, j)
            }
            j = stop &+ 1
        }
        return mask
    }

    /// Sorts whole words, stably: insertion for small counts, otherwise a least-significant-byte
    /// radix sort that skips the bytes every word shares and the bytes below `positionBits`
    /// (positions are distinct and already in order).
    static func sortWords(_ words: UnsafeMutablePointer<UInt64>, scratch: UnsafeMutablePointer<UInt64>, count n: Int, positionBits: UInt64) {
        if n <= 24 {
            var i = 1
            while i < n {
                let w = words[i]
                var j = i
                while j > 0, words[j &- 1] > w {
                    words[j] = words[j &- 1]
                    j &-= 1
                }
                words[j] = w
                i &+= 1
            }
            return
        }
        var any: UInt64 = 0
        var all: UInt64 = ~0
        for i in 0..<n {
            any |= words[i]
            all &= words[i]
        }
        let varying = (any ^ all) & ~((1 << positionBits) &- 1)
        if varying == 0 { return }
        var source = words
        var target = scratch
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
            let slots = counts.baseAddress!
            var shift = positionBits & ~7
            while shift < 64 {
                if (varying &>> shift) & 0xFF != 0 {
                    slots.initialize(repeating: 0, count: 256)
                    for i in 0..<n {
                        slots[Int(truncatingIfNeeded: source[i] &>> shift) & 0xFF] &+= 1
                    }
                    var sum = 0
                    for b in 0..<256 {
                        let c = slots[b]
                        slots[b] = sum
                        sum &+= c
                    }
                    for i in 0..<n {
                        let w = source[i]
                        let b = Int(truncatingIfNeeded: w &>> shift) & 0xFF
                        target[slots[b]] = w
                        slots[b] &+= 1
                    }
                    swap(&source, &target)
                }
                shift &+= 8
            }
        }
        if source != words { words.update(from: source, count: n) }
    }

    /// Sorts a run of words by `precedes`, stably: insertion up to 16, merge sort above
    /// (runs can be long: keys such as `counter_000` … `counter_999` share eight bytes).
    static func sortRun(
        _ words: UnsafeMutablePointer<UInt64>, count n: Int, scratch: UnsafeMutablePointer<UInt64>,
        by precedes: (UInt64, UInt64) -> Bool
    ) {
        if n <= 16 {
            var i = 1
            while i < n {
                let w = words[i]
                var j = i
                while j > 0, precedes(w, words[j &- 1]) {
                    words[j] = words[j &- 1]
                    j &-= 1
                }
                words[j] = w
                i &+= 1
            }
            return
        }
        let half = n / 2
        sortRun(words, count: half, scratch: scratch, by: precedes)
        sortRun(words + half, count: n &- half, scratch: scratch, by: precedes)
        scratch.update(from: words, count: n)
        var i = 0, j = half, k = 0
        while i < half, j < n {
            // Stable: take from the right only when it strictly precedes.
            if precedes(scratch[j], scratch[i]) {
                words[k] = scratch[j]
                j &+= 1
            } else {
                words[k] = scratch[i]
                i &+= 1
            }
            k &+= 1
        }
        while i < half {
            words[k] = scratch[i]
            i &+= 1
            k &+= 1
        }
        while j < n {
            words[k] = scratch[j]
            j &+= 1
            k &+= 1
        }
    }
}
