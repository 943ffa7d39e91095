// The OLE2 compound file ([MS-CFB]) that holds Word 97-2003 documents, Excel 97-2003
// workbooks and other binary Office files: a small FAT file system inside one file. Read in
// memory, for the streams at the top level of the root storage only (what a .doc needs).
//
// Hostile input is expected: every offset is checked against the file, every sector chain
// is bounded by the number of sectors the file has (a loop is an error, not a hang), and a
// stream can never be longer than the sectors that hold it.

struct CompoundFile {
    /// A stream or storage named directly under the root storage.
    struct Entry {
        var name: String
        var isStream: Bool
        var startSector: UInt32
        var size: Int
    }

    private let bytes: [UInt8]
    private let sectorShift: Int
    private let miniSectorShift: Int
    private let miniStreamCutoff: Int
    private let fat: [UInt32]
    private var miniFAT: [UInt32] = []
    private var miniStream: [UInt8] = []
    /// The root storage's children, by name.
    private(set) var entries: [String: Entry] = [:]

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let freeSector: UInt32 = 0xFFFF_FFFF

    /// An error about the container itself (the caller names the file type).
    struct Damaged: Error { var reason: String }

    init(_ bytes: [UInt8]) throws(Damaged) {
        self.bytes = bytes
        guard bytes.count >= 512, bytes.starts(with: Self.signature) else { throw Damaged(reason: "truncated (no complete compound-file header)") }
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
        guard u16(0x1C) == 0xFFFE else { throw Damaged(reason: "bad byte-order mark in the compound-file header") }
        sectorShift = u16(0x1E)
        miniSectorShift = u16(0x20)
        guard sectorShift == 9 || sectorShift == 12, miniSectorShift == 6 else {
            throw Damaged(reason: "unsupported sector size in the compound-file header")
        }
        miniStreamCutoff = Int(u32(0x38))
        let sectorSize = 1 << sectorShift
        let sectorCount = max(0, (bytes.count - sectorSize) / sectorSize + ((bytes.count - sectorSize) % sectorSize > 0 ? 1 : 0))

        // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
        let fatSectorCount = Int(u32(0x2C))
        guard fatSectorCount <= sectorCount else { throw Damaged(reason: "the header declares more FAT sectors than the file has (truncated?)") }
        var fatSectors: [UInt32] = []
        for k in 0..<109 where fatSectors.count < fatSectorCount {
            fatSectors.append(u32(0x4C + 4 * k))
        }
        var difat = u32(0x44)
        var difatSeen = 0
        let perDIFAT = sectorSize / 4 - 1
        while fatSectors.count < fatSectorCount, difat < Self.endOfChain - 3 {
            difatSeen += 1
            let offset = (Int(difat) + 1) << sectorShift
            guard difatSeen <= sectorCount, offset + sectorSize <= bytes.count else {
                throw Damaged(reason: "the DIFAT chain leaves the file (truncated?)")
            }
            for k in 0..<perDIFAT where fatSectors.count < fatSectorCount { fatSectors.append(u32(offset + 4 * k)) }
            difat = u32(offset + 4 * perDIFAT)
        }
        guard fatSectors.count == fatSectorCount else { throw Damaged(reason: "the FAT is incomplete (truncated?)") }
        var fat: [UInt32] = []
        fat.reserveCapacity(fatSectorCount * sectorSize / 4)
        for sector in fatSectors {
            let offset = (Int(sector) + 1) << sectorShift
            guard sector < Self.endOfChain - 3, offset + sectorSize <= bytes.count else {
                throw Damaged(reason: "a FAT sector lies beyond the end of the file (truncated?)")
            }
            for k in 0..<(sectorSize / 4) { fat.append(u32(offset + 4 * k)) }
        }
        self.fat = fat

        let directory = try Self.chain(bytes, fat: fat, start: u32(0x30), sectorShift: sectorShift, limit: nil)
        let records = directory.count / 128
        guard records > 0 else { throw Damaged(reason: "the directory is empty") }
        func record(_ k: Int) -> Entry? {
            let base = k * 128
            let nameLength = min(64, Int(directory[base + 0x40]) | Int(directory[base + 0x41]) << 8)
            var units: [UInt16] = []
            var i = 0
            while i + 1 < nameLength {
                let unit = UInt16(directory[base + i]) | UInt16(directory[base + i + 1]) << 8
                if unit == 0 { break }
                units.append(unit)
                i += 2
            }
            let type = directory[base + 0x42]
            guard type == 1 || type == 2 || type == 5 else { return nil }
            func d32(_ j: Int) -> UInt32 {
                UInt32(directory[base + j]) | UInt32(directory[base + j + 1]) << 8
                    | UInt32(directory[base + j + 2]) << 16 | UInt32(directory[base + j + 3]) << 24
            }
            let size = Int(d32(0x78)) | (sectorShift == 12 ? Int(d32(0x7C)) << 32 : 0)
            return Entry(name: String(decoding: units, as: UTF16.self), isStream: type == 2,
                         startSector: d32(0x74), size: size)
        }
        func link(_ k: Int, _ offset: Int) -> Int? {
            let base = k * 128 + offset
            let v = UInt32(directory[base]) | UInt32(directory[base + 1]) << 8 | UInt32(directory[base + 2]) << 16 | UInt32(directory[base + 3]) << 24
            return v < UInt32(records) ? Int(v) : nil
        }
        guard let root = record(0), directory[0x42] == 5 else { throw Damaged(reason: "the directory has no root entry") }

        // The root's children: the tree under its child link (left and right siblings).
        var found: [String: Entry] = [:]
        var stack: [Int] = link(0, 0x4C).map { [$0] } ?? []
        var visited = Set<Int>()
        while let k = stack.popLast() {
            guard visited.insert(k).inserted else { throw Damaged(reason: "the directory tree has a loop") }
            if let entry = record(k), found[entry.name] == nil { found[entry.name] = entry }
            if let left = link(k, 0x44) { stack.append(left) }
            if let right = link(k, 0x48) { stack.append(right) }
        }
        entries = found

        // The mini stream (the root's data) and its FAT hold the streams below the cutoff.
        if found.values.contains(where: { $0.isStream && $0.size < miniStreamCutoff && $0.size > 0 }) {
            miniStream = try Self.chain(bytes, fat: fat, start: root.startSector, sectorShift: sectorShift, limit: root.size)
            let miniFATBytes = try Self.chain(bytes, fat: fat, start: u32(0x3C), sectorShift: sectorShift, limit: nil)
            miniFAT = stride(from: 0, to: miniFATBytes.count - 3, by: 4).map {
                UInt32(miniFATBytes[$0]) | UInt32(miniFATBytes[$0 + 1]) << 8 | UInt32(miniFATBytes[$0 + 2]) << 16 | UInt32(miniFATBytes[$0 + 3]) << 24
            }
        }
    }

    /// The bytes of the stream called `name` directly under the root, nil when there is none.
    func stream(_ name: String) throws(Damaged) -> [UInt8]? {
        guard let entry = entries[name], entry.isStream else { return nil }
        if entry.size == 0 { return [] }
        if entry.size < miniStreamCutoff {
            return try Self.chain(miniStream, fat: miniFAT, start: entry.startSector, sectorShift: miniSectorShift,
                                  limit: entry.size, headerSectors: 0)
        }
        return try Self.chain(bytes, fat: fat, start: entry.startSector, sectorShift: sectorShift, limit: entry.size)
    }

    /// Follows a sector chain from `start` and returns its bytes (the first `limit` of them,
    /// when given: a stream shorter than its declared size is an error). Sector n of `data`
    /// starts at (n + headerSectors) << shift: the file's sectors follow a one-sector header,
    /// the mini stream's have none.
    private static func chain(_ data: [UInt8], fat: [UInt32], start: UInt32, sectorShift: Int,
                              limit: Int?, headerSectors: Int = 1) throws(Damaged) -> [UInt8] {
        let sectorSize = 1 << sectorShift
        var out: [UInt8] = []
        if let limit {
            guard limit <= data.count else { throw Damaged(reason: "a stream is larger than the file (truncated?)") }
            out.reserveCapacity(limit)
        }
        var sector = start
        var steps = 0
        while sector != endOfChain {
            if let limit, out.count >= limit { break }
            steps += 1
            guard Int(sector) < fat.count, steps <= fat.count else {
                throw Damaged(reason: sector == freeSector || steps > fat.count ? "a sector chain is broken or loops" : "a sector chain leaves the file (truncated?)")
            }
            let offset = (Int(sector) + headerSectors) << sectorShift
            guard offset + sectorSize <= data.count || (offset < data.count && limit.map { out.count + (data.count - offset) >= $0 } == true) else {
                throw Damaged(reason: "a sector lies beyond the end of the file (truncated?)")
            }
            out.append(contentsOf: data[offset..<min(offset + sectorSize, data.count)])
            sector = fat[Int(sector)]
        }
        if let limit {
            guard out.count >= limit else { throw Damaged(reason: "a stream ends before its declared size (truncated?)") }
            out.removeLast(out.count - limit)
        }
        return out
    }
}
