// A dictionary for state that is published to readers after every change (ManifestState):
// a large base, shared by every published copy and rarely rewritten, under a small top layer
// that takes the changes.
//
// Why: a Swift dictionary is copied whole on the first change after a copy of it was taken.
// The manifest publishes its state after each append (readers take it without waiting), so a
// plain dictionary was copied in full once per batch: an import of N documents in batches of
// B copied N^2/B entries (300 s of a 357,000-document import). Here a change copies the top
// layer only; the top is folded into the base when it outgrows `foldShare` of it, so the
// base is rewritten O(log N) times per doubling, and a batch copies at most base/16 entries.
//
// Invariant: a key's value is top[key] ?? base[key]; `count` counts the keys of both, once.

package struct LayeredMap<Value: Sendable>: Sendable {
    private var base: [String: Value] = [:]
    private var top: [String: Value] = [:]
    package private(set) var count = 0

    /// The top is folded into the base past this share of the base (and `minimumTop` keys).
    static var foldShare: Int { 16 }
    static var minimumTop: Int { 4096 }

    package init() {}

    package subscript(key: String) -> Value? {
        get { top[key] ?? base[key] }
        set {
            guard let newValue else {
                // (The manifest never removes a record: the simple way is enough.)
                if self[key] != nil { fold(); base.removeValue(forKey: key); count -= 1 }
                return
            }
            if top[key] == nil && base[key] == nil { count += 1 }
            top[key] = newValue
            if top.count > max(Self.minimumTop, base.count / Self.foldShare) { fold() }
        }
    }

    private mutating func fold() {
        base.merge(top) { _, new in new }
        top = [:]
    }

    package var isEmpty: Bool { count == 0 }

    /// Every key, once (base keys not shadowed by the top, then the top's).
    package var keys: [String] {
        var out = base.keys.filter { top[$0] == nil }
        out.append(contentsOf: top.keys)
        return out
    }

    /// Every value, once.
    package var values: [Value] {
        var out = base.filter { top[$0.key] == nil }.map(\.value)
        out.append(contentsOf: top.values)
        return out
    }
}
