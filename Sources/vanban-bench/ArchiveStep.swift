import Archive
import Foundation
import Platform

/// `vanban-bench archive-step syncfs|fsync ARCHIVE FILE.jsonl`: the archive step of an import
/// alone, as `vanban import` runs it (batches of 512 documents or 16 MB, one after the other):
/// SHA-256 and gzip of every text on all cores, temp files written, one durable commit per
/// batch. No extraction, no manifest: the objects stay unreferenced. Prints the line
/// scripts/bench/bench-import reads:
///   timings: hash H compress+write C sync S s; archive step T s for N bytes (R MB/s)
enum ArchiveStep {
    static func run(durability name: String, archive: String, file: String) {
        guard let durability = ObjectStore.Durability(rawValue: name) else { fail("durability must be syncfs or fsync") }
        guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
        var texts: [[UInt8]] = []
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            if let text = FlatJSON.stringFields(ArraySlice(line), names: ["text"])?["text"] { texts.append(Array(text.utf8)) }
        }
        let store = ObjectStore(archive: URL(fileURLWithPath: archive))
        do { try store.createDirectories() } catch { fail("\(error)") }
        var hashSeconds = 0.0, compressSeconds = 0.0, syncSeconds = 0.0, bytes = 0
        var start = 0
        while start < texts.count {
            var end = start, batchBytes = 0
            while end < texts.count && end - start < 512 && batchBytes < 16 << 20 { batchBytes += texts[end].count; end += 1 }
            let batch = Array(texts[start..<end])
            let order = batch.indices.sorted { batch[$0].count > batch[$1].count }
            let hashes = UnsafeSendable(UnsafeMutableBufferPointer<String>.allocate(capacity: batch.count))
            hashes.value.initialize(repeating: "")
            hashSeconds += seconds { parallelForEach(order) { i in hashes.value[i] = ContentHash.sha256Hex(batch[i]) } }
            let objects = store.batch(durability: durability)
            let failure = FirstError<ArchiveError>()
            compressSeconds += seconds {
                parallelForEach(order, workers: 2 * ProcessInfo.processInfo.activeProcessorCount) { i in
                    let hash = hashes.value[i]
                    if store.contains(hash) { objects.notePresent(hash: hash); return }
                    do throws(ArchiveError) { _ = try objects.add(hash: hash, compressed: Gzip.compress(batch[i]), checked: true) } catch { failure.record(error) }
                }
            }
            if let error = failure.error { fail("\(error)") }
            syncSeconds += seconds { do { try objects.commit() } catch { fail("\(error)") } }
            hashes.value.deinitialize().deallocate()
            bytes += batchBytes
            start = end
        }
        let total = hashSeconds + compressSeconds + syncSeconds
        print(String(format: "timings: hash %.3f compress+write %.3f sync %.3f s; archive step %.3f s for %d bytes (%.1f MB/s)",
                     hashSeconds, compressSeconds, syncSeconds, total, bytes, total > 0 ? Double(bytes) / total / 1e6 : 0))
    }

    static func seconds(_ body: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("vanban-bench archive-step: \(message)\n".utf8))
        exit(1)
    }
}
