// Micro-benchmarks for VanBan's core, run by the scripts in scripts/bench/ on release builds.
// Kept out of the `vanban` tool so its interface stays about documents, not timings.
//
//   vanban-bench tokenize FILE   FILE holds documents, each prefixed by its byte length
//                                (u32 little endian); each is tokenized separately, as the
//                                index does. Prints one JSON line.
//   vanban-bench rank INDEX QUERIES [name=value ...]
//                                top 10 keys per query with Ranking constants overridden
//                                (see RankingRun.swift; scripts/dev/tune-ranking)
//   vanban-bench extract [--encoding NAME] FILE...
//                                each file through the extractor, one JSON line each
//                                (ExtractRun.swift; scripts/bench/bench-encodings)
//   vanban-bench misfires FILE.jsonl|-
//                                counts UTF-8 texts the encoding detector would convert
//   vanban-bench archive-step syncfs|fsync ARCHIVE FILE.jsonl
//                                the archive step of an import alone (see ArchiveStep.swift).
import Foundation
import VietText

BenchMain.run(CommandLine.arguments)
