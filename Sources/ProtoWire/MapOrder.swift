/// The order in which map entries are written, found for every map type by this one
/// non-generic code: generated code only gathers each key's `MapKey.mapOrderPrefix` and
/// writes the entries in the order returned.
@usableFromInline
enum MapOrder {
    /// Sorts the positions `0..<count` by key and returns a mask: on return, `words[j] & mask`
    /// is the position of the `j`-th key in order. `prefixes[i]` is the prefix of the key at
    /// position `i` (overwritten). Keys with equal prefixes are ordered by their next eight bytes,
    /// `deeper(i, depth)` (the key's bytes from `8 * depth` on, nil once it has none left: string
    /// keys only), and keys that still tie by `precedes` (called with positions). `words` and
    /// `scratch` have room for `count` values; `count` is at least 2.
    ///
    /// Each position is packed below as many bits of its prefix as fit in one word (leaving out
    /// the bits every key shares), those words are sorted by a radix sort, and only keys that tie
    /// on the packed bits are looked at further: keys such as `counter_000` … `counter_099`,
    /// equal in their first eight bytes, are sorted by a second radix pass on the next eight.
    @usableFromInline
    static func sort(
        _ words: UnsafeMutablePointer<UInt64>, prefixes: UnsafeMutablePointer<UInt64>, scratch: UnsafeMutablePointer<UInt64>,
        count n: Int, deeper: (Int, Int) -> UInt64?, by precedes: (Int, Int) -> Bool
    ) -> UInt64 {
        // Positions take whole bytes, so that the radix sort's bytes line up with the keys'.
        let positionBits = UInt64(64 - UInt64(n &- 1).leadingZeroBitCount + 7) & ~7
        let sorter = Sorter(prefixes: prefixes, scratch: scratch, positionBits: positionBits)
        // The first pass reads the prefixes in position order; deeper ones, through positions.
        var lo = UInt64.max
        var hi: UInt64 = 0
        for i in 0..<n {
            let p = prefixes[i]
            if p < lo { lo = p }
            if p > hi { hi = p }
        }
        let (varying, shift) = sorter.packing(lo, hi)
        for i in 0..<n {
            words[i] = ((prefixes[i] & varying) &>> shift) &<< positionBits | UInt64(truncatingIfNeeded: i)
        }
        if lo == hi {
            sorter.settle(words, count: n, depth: 0, deeper, precedes)
        } else {
            MapOrder.sortWords(words, scratch: scratch, count: n, positionBits: positionBits)
            sorter.resolveTies(words, count: n, packedExactly: shift == 0, depth: 0, deeper, precedes)
        }
        return sorter.mask
    }

    /// Keys sharing more than this many eight-byte words are left to `precedes`.
    static let maximumDepth = 32

    private struct Sorter {
        let prefixes: UnsafeMutablePointer<UInt64>
        let scratch: UnsafeMutablePointer<UInt64>
        let positionBits: UInt64
        let mask: UInt64

        init(prefixes: UnsafeMutablePointer<UInt64>, scratch: UnsafeMutablePointer<UInt64>, positionBits: UInt64) {
            self.prefixes = prefixes
            self.scratch = scratch
            self.positionBits = positionBits
            self.mask = (1 &<< positionBits) &- 1
        }

        @inline(__always) func position(_ word: UInt64) -> Int { Int(truncatingIfNeeded: word & mask) }

        /// Which bits of the prefixes from `lo` to `hi` are packed above the positions: every
        /// prefix between the two shares the bits above the highest one in which they differ, so
        /// those are left out, and as many of the bits below as fit are kept (shifted right by
        /// `shift`).
        @inline(__always) func packing(_ lo: UInt64, _ hi: UInt64) -> (varying: UInt64, shift: UInt64) {
            let varyingBits = UInt64(64 - (hi ^ lo).leadingZeroBitCount)
            let varying: UInt64 = varyingBits == 64 ? ~0 : (1 &<< varyingBits) &- 1
            let shift = varyingBits > 64 &- positionBits ? varyingBits &- (64 &- positionBits) : 0
            return (varying, shift)
        }

        /// Sorts the `n` positions in `words` by `prefixes`, then each group of equal prefixes
        /// further.
        func order(
            _ words: UnsafeMutablePointer<UInt64>, count n: Int, depth: Int,
            _ deeper: (Int, Int) -> UInt64?, _ precedes: (Int, Int) -> Bool
        ) {
            var lo = UInt64.max
            var hi: UInt64 = 0
            for k in 0..<n {
                let p = prefixes[position(words[k])]
                if p < lo { lo = p }
                if p > hi { hi = p }
            }
            if lo == hi {
                settle(words, count: n, depth: depth, deeper, precedes)
                return
            }
            let (varying, shift) = packing(lo, hi)
            for k in 0..<n {
                let i = words[k] & mask
                words[k] = ((prefixes[Int(truncatingIfNeeded: i)] & varying) &>> shift) &<< positionBits | i
            }
            MapOrder.sortWords(words, scratch: scratch, count: n, positionBits: positionBits)
            resolveTies(words, count: n, packedExactly: shift == 0, depth: depth, deeper, precedes)
        }

        /// After a radix pass: runs whose packed bits tie are ordered by whole prefix (unless
        /// the packing kept every bit that varies), then each group of equal prefixes further.
        func resolveTies(
            _ words: UnsafeMutablePointer<UInt64>, count n: Int, packedExactly: Bool, depth: Int,
            _ deeper: (Int, Int) -> UInt64?, _ precedes: (Int, Int) -> Bool
        ) {
            var j = 1
            while j < n {
                if (words[j] ^ words[j &- 1]) &>> positionBits != 0 {
                    j &+= 1
                    continue
                }
                let start = j &- 1
                var stop = j &+ 1
                while stop < n, (words[stop] ^ words[start]) &>> positionBits == 0 { stop &+= 1 }
                if packedExactly {
                    settle(words + start, count: stop &- start, depth: depth, deeper, precedes)
                } else {
                    MapOrder.sortRun(words + start, count: stop &- start, scratch: scratch) { a, b in
                        prefixes[position(a)] < prefixes[position(b)]
                    }
                    var group = start
                    while group < stop {
                        let p = prefixes[position(words[group])]
                        var end = group &+ 1
                        while end < stop, prefixes[position(words[end])] == p { end &+= 1 }
                        if end &- group > 1 { settle(words + group, count: end &- group, depth: depth, deeper, precedes) }
                        group = end
                    }
                }
                j = stop &+ 1
            }
        }

        /// Orders `n` positions whose keys are equal at `depth`: by their next eight bytes while
        /// any has more (a key that has ended reads as zeros and comes first), then by `precedes`.
        func settle(
            _ words: UnsafeMutablePointer<UInt64>, count n: Int, depth: Int,
            _ deeper: (Int, Int) -> UInt64?, _ precedes: (Int, Int) -> Bool
        ) {
            if depth < MapOrder.maximumDepth {
                var more = false
                for k in 0..<n {
                    let i = position(words[k])
                    if let next = deeper(i, depth &+ 1) {
                        prefixes[i] = next
                        more = true
                    } else {
                        prefixes[i] = 0
                    }
                }
                if more {
                    order(words, count: n, depth: depth &+ 1, deeper, precedes)
                    return
                }
            }
            MapOrder.sortRun(words, count: n, scratch: scratch) { a, b in precedes(position(a), position(b)) }
        }
    }

    /// Sorts words by their bits above `positionBits` (words equal there end up side by side, in
    /// no particular order): insertion for small counts; a least-significant-byte radix sort over
    /// the bytes in which words differ when those are few or the words many; otherwise (keys
    /// that differ in many bytes, such as random ones: a pass for each would be seven) one pass
    /// on the most significant of those bytes, then each bucket by insertion when small and by
    /// the radix sort when not.
    static func sortWords(_ words: UnsafeMutablePointer<UInt64>, scratch: UnsafeMutablePointer<UInt64>, count n: Int, positionBits: UInt64) {
        if n <= 24 {
            insertionSort(words, count: n)
            return
        }
        let varying = varyingBits(words, count: n, positionBits: positionBits)
        if varying == 0 { return }
        var bytes = 0
        var v = varying
        while v != 0 {
            if v & 0xFF != 0 { bytes &+= 1 }
            v &>>= 8
        }
        if bytes < 3 || n > 1024 {
            sortBytesUpward(words, scratch: scratch, count: n, positionBits: positionBits, varying: varying)
            return
        }
        let shift = UInt64(63 &- varying.leadingZeroBitCount) & ~7
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
            let slots = counts.baseAddress!
            distribute(words, into: scratch, count: n, shift: shift, slots: slots)
            words.update(from: scratch, count: n)
            // `slots[b]` is now where bucket b ends.
            var start = 0
            for b in 0..<256 {
                let end = slots[b]
                let size = end &- start
                if size > 24 {
                    let bucket = words + start
                    let varying = varyingBits(bucket, count: size, positionBits: positionBits)
                    if varying != 0 {
                        sortBytesUpward(bucket, scratch: scratch, count: size, positionBits: positionBits, varying: varying)
                    }
                } else if size > 1 {
                    insertionSort(words + start, count: size)
                }
                start = end
                if start == n { break }
            }
        }
    }

    static func insertionSort(_ words: UnsafeMutablePointer<UInt64>, count n: Int) {
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
    }

    /// One counting pass: copies the `n` words of `source` to `target` ordered by their byte at
    /// `shift`, keeping the order of words with the same byte; on return `slots[b]` is where
    /// byte `b`'s words end in `target`. `slots` has room for 256.
    @inline(__always)
    static func distribute(
        _ source: UnsafeMutablePointer<UInt64>, into target: UnsafeMutablePointer<UInt64>, count n: Int, shift: UInt64,
        slots: UnsafeMutablePointer<Int>
    ) {
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
    }

    /// The bits above `positionBits` in which some of the words differ.
    static func varyingBits(_ words: UnsafeMutablePointer<UInt64>, count n: Int, positionBits: UInt64) -> UInt64 {
        var any: UInt64 = 0
        var all: UInt64 = ~0
        for i in 0..<n {
            any |= words[i]
            all &= words[i]
        }
        return (any ^ all) & ~((1 << positionBits) &- 1)
    }

    /// A least-significant-byte radix sort over the bytes that hold `varying` bits (the bytes
    /// every word shares, and the positions below them, are skipped).
    static func sortBytesUpward(
        _ words: UnsafeMutablePointer<UInt64>, scratch: UnsafeMutablePointer<UInt64>, count n: Int, positionBits: UInt64, varying: UInt64
    ) {
        var source = words
        var target = scratch
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
            let slots = counts.baseAddress!
            var shift = positionBits & ~7
            while shift < 64 {
                if (varying &>> shift) & 0xFF != 0 {
                    distribute(source, into: target, count: n, shift: shift, slots: slots)
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
