import DocumentModel
import Archive
import Extraction
import Foundation
import Platform

/// One document moving through a batch. Each pass writes only its own item (disjoint indices).
struct BatchItem {
    var pending: PendingItem
    var bytes: [UInt8] = []
    var metadata = DocumentMetadata()
    var hash = ""
    var id = ""
    var failure: ImportFailure?
    /// The snapshot says this exact version is current: skip extraction and compression.
    var probablyUnchanged = false
    var extracted: ExtractedDocument?
    var storedSize: Int?
    var resultRecord: ManifestRecord?
    var status: ImportStatus = .failed
    var archived = false
    /// Its object was missing or damaged and this import wrote it again.
    var healedObject = false
    /// JSON Lines fields the decoder ignored.
    var unknownFields: [String] = []

    var ok: Bool { failure == nil }
}

/// A batch between `prepare` (hashed, extracted, compressed, temp files written) and `commit`
/// (objects durable under their names, records in the manifest).
final class PreparedBatch: @unchecked Sendable {
    let pending: [PendingItem]
    let buffer: UnsafeMutableBufferPointer<BatchItem>
    let objects: ObjectBatch
    var timings = ImportTimings()
    var writeError: Error?
    var readSeconds = 0.0
    var inputBytes = 0

    init(pending: [PendingItem], buffer: UnsafeMutableBufferPointer<BatchItem>, objects: ObjectBatch) {
        self.pending = pending; self.buffer = buffer; self.objects = objects
    }

    deinit {
        objects.abandon()
        buffer.deinitialize().deallocate()
    }
}

final class Box<T> { var value: T; init(_ v: T) { value = v } }

/// The import pipeline: read -> hash + gzip + extract (all cores) -> durable objects (one sync
/// per batch) -> manifest append under the writers' lock (one fdatasync per batch) -> report.
struct Importer {
    let library: Library
    /// Where a crash test wants the import to stop (nil outside tests).
    let pauseAt = TestPausePoint.requested()
    let options: ImportOptions
    let observer: ImportObserver?
    let progress: ((ImportProgress) -> Void)?
    let report: (ImportResult) -> Void

    func run(_ inputs: [ImportInput]) throws -> ImportSummary {
        if let name = options.encoding, let problem = ImportOptions.encodingProblem(name) {
            throw LibraryError(.usage, problem)
        }
        let started = Date()
        var summary = ImportSummary()
        let stream = ItemStream(inputs: inputs, options: options)
        try checkUsage(stream: stream, inputs: inputs)
        summary.warnings += stream.notes
        _ = try library.manifest.refresh()
        var done = 0, bytesDone = 0
        // Two batches in flight: while batch N waits for its syncs (objects, then manifest)
        // on this thread, batch N+1 is read, hashed, extracted and compressed on the others.
        let me = UnsafeSendable((importer: self, stream: stream))
        let options = self.options
        let prepareNext = UnsafeSendable({ () -> PreparedBatch? in
            let t = Date()
            var pending: [PendingItem] = []
            var batchBytes = 0
            while pending.count < options.batchDocuments && batchBytes < options.batchBytes, let item = me.value.stream.next() {
                batchBytes += item.inputBytes
                pending.append(item)
            }
            if pending.isEmpty { return nil }
            let readSeconds = Date().timeIntervalSince(t)
            let batch = me.value.importer.prepare(pending)
            batch.readSeconds = readSeconds
            batch.inputBytes = batchBytes
            return batch
        })
        var current = prepareNext.value()
        var batchNumber = 0
        // Ignored JSON Lines fields, each with the first input that had it: one warning at the end.
        var unknownFields: [(name: String, input: String)] = []
        while let batch = current {
            batchNumber += 1
            let nextBox = UnsafeSendable(Box<PreparedBatch?>(nil))
            let group = DispatchGroup()
            if options.overlapBatches {
                DispatchQueue.global().async(group: group) { nextBox.value.value = prepareNext.value() }
            }
            let items: [BatchItem]
            do {
                items = try commit(batch, number: batchNumber, summary: &summary)
            } catch {
                group.wait() // let the next batch finish preparing; dropping it removes its temp files
                // Fatal for the batch (e.g. disk full): nothing of it was acknowledged. Every
                // input still gets its report: this batch's as failed, the next batch's and the
                // rest of the stream's as not attempted, in input order. The reason is the
                // system's, without the path of the temporary file that could not be written.
                let reason = Self.storageReason(error)
                for p in batch.pending {
                    summary.failed += 1
                    report(ImportResult(input: p.input, status: .failed,
                                        failure: ImportFailure(.storage, "not stored: the archive could not be written (\(reason))"), size: p.inputBytes))
                }
                let notAttempted = ImportFailure(.storage, "not attempted: the import stopped when the archive could not be written (\(reason))")
                let rest = (nextBox.value.value?.pending ?? []) + Array(sequence(state: stream) { $0.next() })
                for p in rest {
                    summary.failed += 1
                    report(ImportResult(input: p.input, status: .failed, failure: notAttempted, size: p.inputBytes))
                }
                summary.seconds = Date().timeIntervalSince(started)
                throw LibraryError(.io, "\(library.archiveURL.path): the archive could not be written (\(reason)); \(summary.imported + summary.unchanged) documents were stored before")
            }
            summary.timings.add(batch.timings)
            summary.timings.read += batch.readSeconds
            for item in items {
                switch item.status {
                case .imported: summary.imported += 1
                case .unchanged: summary.unchanged += 1
                case .failed: summary.failed += 1
                }
                summary.bytes += item.bytes.count
                if item.archived { summary.archivedBytes += item.bytes.count }
                for name in item.unknownFields where !unknownFields.contains(where: { $0.name == name }) {
                    unknownFields.append((name, item.pending.input))
                }
                if item.healedObject && item.failure == nil {
                    summary.warnings.append("\(item.pending.input): \(ObjectStore.relativePath(for: item.hash)) was missing or damaged; written again from this input")
                }
                let r = item.resultRecord
                report(ImportResult(input: item.pending.input, status: item.status,
                                    id: item.failure == nil ? r?.id : nil,
                                    key: item.metadata.key ?? item.pending.metadata.key,
                                    hash: item.failure == nil ? r?.hash : (item.hash.isEmpty ? nil : item.hash),
                                    seq: item.failure == nil ? r?.seq : nil,
                                    failure: item.failure, size: item.bytes.count, record: item.failure == nil ? r : nil))
            }
            TestPausePoint.reported.reach(batch: batchNumber, requested: pauseAt)
            done += items.count
            bytesDone += batch.inputBytes
            progress?(ImportProgress(documents: done, bytes: bytesDone, totalBytes: stream.totalBytes,
                                     imported: summary.imported, unchanged: summary.unchanged, failed: summary.failed))
            // Past the threshold of loose objects, pack them (under the writers' lock; the
            // batch is already durable and reported, so a failure here costs nothing): at the
            // import's last batch, or during a long import (see `Library.packIfNeeded`).
            group.wait()
            let next = options.overlapBatches ? nextBox.value.value : prepareNext.value()
            autoPack(newObjects: items.reduce(0) { $0 + ($1.archived ? 1 : 0) }, last: next == nil, summary: &summary)
            current = next
        }
        if !unknownFields.isEmpty {
            summary.warnings.append("JSON Lines fields ignored (not known to VanBan): "
                + unknownFields.map { "\"\($0.name)\" (first in \($0.input))" }.joined(separator: ", "))
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Packs when `Library.packIfNeeded` says it is time; notes what it did in `summary`.
    private func autoPack(newObjects: Int, last: Bool, summary: inout ImportSummary) {
        guard newObjects > 0 || last else { return }
        let packed = library.packIfNeeded(newObjects: newObjects, threshold: options.packThreshold, last: last)
        if let warning = packed.warning { summary.warnings.append(warning) }
        if let report = packed.report {
            summary.packRuns += 1
            summary.packedObjects += report.looseRemoved
            summary.warnings += report.problems.map { "packing: \($0.path): \($0.message)" }
        }
    }

    /// What a storage failure says without the paths in it ("No space left on device"): an
    /// `ArchiveError` reads "path: operation: reason".
    static func storageReason(_ error: Error) -> String {
        let text = "\(error)"
        return text.components(separatedBy: ": ").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? text
    }

    /// `--key` names one document: refuse it with several inputs, a directory or JSON Lines.
    private func checkUsage(stream: ItemStream, inputs: [ImportInput]) throws {
        guard options.defaults.key != nil else { return }
        var oneDocument = inputs.count == 1 && !options.jsonLines
        if oneDocument, case .path(let p) = inputs[0], p != "-" {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue { oneDocument = false }
            if InputExpander.isJSONLines(p, force: false) { oneDocument = false }
        }
        if oneDocument, case .payload(let p) = inputs[0], p.jsonLines { oneDocument = false }
        if !oneDocument {
            throw LibraryError(.usage, ImportOptions.keyNamesOneDocument)
        }
    }

    private func timed(_ slot: WritableKeyPath<ImportTimings, Double>, _ timings: inout ImportTimings, _ body: () throws -> Void) rethrows {
        let t = Date()
        try body()
        timings[keyPath: slot] += Date().timeIntervalSince(t)
    }

    /// Steps that need no lock and make nothing durable: decode, hash, extract, compress, write
    /// temp files. Runs on all cores, while the previous batch commits.
    func prepare(_ pending: [PendingItem]) -> PreparedBatch {
        let count = pending.count
        let buffer = UnsafeMutableBufferPointer<BatchItem>.allocate(capacity: count)
        for (i, p) in pending.enumerated() {
            var item = BatchItem(pending: p)
            item.metadata = p.metadata
            switch p.content {
            case .bytes(let b): item.bytes = b
            case .failed(let failure): item.failure = failure
            case .jsonLine: break
            }
            (buffer.baseAddress! + i).initialize(to: item)
        }
        let store = library.store
        let batch = PreparedBatch(pending: pending, buffer: buffer, objects: store.batch(durability: options.durability.objectStore))
        let items = UnsafeSendable(buffer)
        let maxSize = options.maxSize
        let snapshot = library.manifest.snapshot
        let extractor = importExtractor
        let library = self.library

        // 1. JSON Lines: decode in parallel.
        let lineIndices = (0..<count).filter { if case .jsonLine = pending[$0].content { return true }; return false }
        if !lineIndices.isEmpty {
            timed(\.decode, &batch.timings) {
                parallelForEach(lineIndices.sorted { pending[$0].inputBytes > pending[$1].inputBytes }) { i in
                    Importer.decodeLine(&items.value[i], maxSize: maxSize)
                }
            }
        }
        let order = (0..<count).sorted { buffer[$0].bytes.count > buffer[$1].bytes.count }

        // 2. Hash, and find versions that are already current.
        timed(\.hash, &batch.timings) {
            parallelForEach(order) { i in
                guard items.value[i].ok else { return }
                let hash = ContentHash.sha256Hex(items.value[i].bytes)
                let id = ContentHash.documentID(key: items.value[i].metadata.key, contentHash: hash)
                items.value[i].hash = hash
                items.value[i].id = id
                if let cur = snapshot.current[id], cur.hash == hash { items.value[i].probablyUnchanged = true }
            }
        }

        // 3. Extract text (bad input fails here, before anything is stored).
        timed(\.extract, &batch.timings) {
            parallelForEach(order) { i in
                guard items.value[i].ok, !items.value[i].probablyUnchanged else { return }
                items.value[i].failure = Importer.extract(&items.value[i], extractor: extractor, library: library)
            }
        }

        // 4. Compress and write temp files. Creating a file blocks in the kernel for a while
        // (~0.2 ms on this kind of VM's ext4), so twice as many workers as cores keep the CPUs
        // busy compressing meanwhile.
        let objects = batch.objects
        let failure = UnsafeSendable(FirstError<Error>())
        timed(\.compress, &batch.timings) {
            parallelForEach(order, workers: 2 * ProcessInfo.processInfo.activeProcessorCount) { i in
                guard items.value[i].ok else { return }
                let hash = items.value[i].hash
                // An object already there is relied on only when it holds these very bytes: a
                // missing or damaged one (lost file, bit rot) is written again, also for a
                // version the manifest already has, so re-importing the file heals it.
                if store.holds(hash, bytes: items.value[i].bytes) {
                    if !items.value[i].probablyUnchanged { objects.notePresent(hash: hash) }
                    return
                }
                let gz = Gzip.compress(items.value[i].bytes)
                do {
                    if let size = try objects.add(hash: hash, compressed: gz, checked: true) {
                        items.value[i].storedSize = size
                        if items.value[i].probablyUnchanged || store.contains(hash) { items.value[i].healedObject = true }
                        items.value[i].archived = true
                    }
                } catch {
                    failure.value.record(error)
                }
            }
        }
        batch.writeError = failure.value.error
        return batch
    }

    /// Makes the batch durable and decides it: one sync for its objects, then the manifest
    /// append under the writers' lock, then the observer. Runs on the caller's thread.
    func commit(_ batch: PreparedBatch, number: Int, summary: inout ImportSummary) throws -> [BatchItem] {
        TestPausePoint.prepared.reach(batch: number, requested: pauseAt)
        if let error = batch.writeError { throw error }
        let buffer = batch.buffer
        let count = buffer.count
        let store = library.store
        let extractor = importExtractor
        // 5. One durable sync for the whole batch's objects (written by `prepare`).
        try timed(\.sync, &batch.timings) { try batch.objects.commit() }
        TestPausePoint.synced.reach(batch: number, requested: pauseAt)
        // 6. Manifest: decide under the lock, append, fdatasync.
        try timed(\.manifest, &batch.timings) {
            _ = try library.manifest.append { tx in
                // The first writer of this process cleans up after dead ones (under the lock).
                if number == 1 { store.removeStaleTemporaryFiles() }
                for i in 0..<count {
                    guard buffer[i].ok else { buffer[i].status = .failed; continue }
                    let item = buffer[i]
                    let existing = tx.current(item.id)
                    if let existing, existing.metadata.key != item.metadata.key {
                        buffer[i].failure = ImportFailure(.conflict, "document id \(item.id) already belongs to another document (\(existing.metadata.key.map { "key '\($0)'" } ?? "hash \(existing.hash)"))")
                        continue
                    }
                    if let existing, existing.hash == item.hash {
                        buffer[i].status = .unchanged
                        buffer[i].resultRecord = existing
                        continue
                    }
                    if existing != nil && item.metadata.key == nil {
                        buffer[i].failure = ImportFailure(.conflict, "document id \(item.id) collides with a different keyless document")
                        continue
                    }
                    if item.probablyUnchanged || item.extracted == nil {
                        // The snapshot was stale (another writer moved the key on): finish the
                        // work skipped above, durably, before referencing the object.
                        if let failure = Importer.extract(&buffer[i], extractor: extractor, library: library) { buffer[i].failure = failure; continue }
                        let put = try store.put(item.bytes)
                        buffer[i].storedSize = put.storedSize
                    }
                    let ex = buffer[i].extracted!
                    let stored = buffer[i].storedSize ?? store.storedSize(item.hash) ?? 0
                    var metadata = item.metadata
                    // A new version of a key keeps what its importer said unless said anew.
                    if let existing { metadata = metadata.inheriting(from: existing.metadata) }
                    if metadata.title == nil, let title = ex.title, !title.isEmpty { metadata.title = title }
                    let record = ManifestRecord(
                        seq: 0, id: item.id, hash: item.hash, fileName: item.pending.fileName,
                        mediaType: ex.mediaType, size: item.bytes.count, storedSize: stored, importedAt: "",
                        metadata: metadata, properties: ex.properties)
                    buffer[i].resultRecord = tx.add(record)
                    buffer[i].status = .imported
                }
            }
        }

        TestPausePoint.appended.reach(batch: number, requested: pauseAt)

        // 7. Tell the index (after the manifest lines are durable).
        if let observer {
            let docs = (0..<count).compactMap { i -> ImportedDocument? in
                guard buffer[i].status == .imported, let r = buffer[i].resultRecord, let ex = buffer[i].extracted else { return nil }
                return ImportedDocument(record: r, text: ex.text, derived: ex.derived, furnitureLines: ex.furnitureLines)
            }.sorted { $0.record.seq < $1.record.seq }
            if !docs.isEmpty {
                let t = Date()
                do { try observer.archiveDidCommit(docs) } catch {
                    summary.warnings.append("the index was not updated for seq \(docs.first!.record.seq)-\(docs.last!.record.seq): \(error) (it catches up from the archive later)")
                }
                batch.timings.observer += Date().timeIntervalSince(t)
            }
        }
        for i in 0..<count where buffer[i].failure != nil { buffer[i].status = .failed }
        return Array(buffer)
    }

    /// Decodes one JSON Lines line into the item (text bytes + metadata), or sets the failure.
    private static func decodeLine(_ item: inout BatchItem, maxSize: Int) {
        guard case .jsonLine(let line) = item.pending.content else { return }
        let document: JSONDocument
        do { document = try JSONDocument.decode(line[...]) } catch { item.failure = error; return }
        item.unknownFields = document.unknownFields
        item.metadata = document.metadata.merged(over: item.pending.metadata)
        if let problem = item.metadata.validationProblem() { item.failure = ImportFailure(.badMetadata, problem); return }
        item.bytes = Array(document.text.utf8)
        if item.bytes.isEmpty { item.failure = ImportFailure(.empty, "field \"text\" is empty"); return }
        if item.bytes.count > maxSize {
            item.failure = ImportFailure(.tooLarge, "text is \(formatBytes(item.bytes.count)), over the size limit of \(formatBytes(maxSize)) (--max-size)")
            item.bytes = []
        }
        if item.pending.mediaType == nil { item.pending.mediaType = "text/plain; charset=utf-8" }
    }

    /// The extractor of this import (the forced encoding and OCR on or off, as the options say).
    var importExtractor: Extractor {
        var limits = ExtractionLimits()
        limits.ocr.enabled = options.ocr
        var extractor = Extractor(limits: limits)
        extractor.encoding = options.encoding.flatMap(TextEncoding.init(label:))
        return extractor
    }

    /// Extracts text (the OCR of a scanned PDF kept in the archive by its hash); returns the
    /// failure, if any.
    static func extract(_ item: inout BatchItem, extractor: Extractor, library: Library) -> ImportFailure? {
        if item.extracted != nil { return nil }
        if let problem = item.metadata.validationProblem() { return ImportFailure(.badMetadata, problem) }
        var extractor = extractor
        // A JSON Lines text is UTF-8 by construction: a forced encoding is for files.
        if case .jsonLine = item.pending.content { extractor.encoding = nil }
        do {
            item.extracted = try extractor.extract(item.bytes, fileName: item.pending.fileName, mediaType: item.pending.mediaType,
                                                   cache: item.hash.isEmpty ? nil : library.derivedTextCache(hash: item.hash))
            return nil
        } catch {
            return ImportFailure(error)
        }
    }
}
