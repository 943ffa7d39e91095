// Micro-benchmarks for VanBan's core, run by the scripts in scripts/ on release builds.
// Kept out of the `vanban` tool so its interface stays about documents, not timings.
//
//   vanban-bench tokenize FILE   FILE holds documents, each prefixed by its byte length
//                                (u32 little endian); each is tokenized separately, as the
//                                index does. Prints one JSON line.
import Foundation
import VietText

BenchMain.run(CommandLine.arguments)
