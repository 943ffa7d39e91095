import DocumentModel

/// The relationship diagram (lược đồ) of one document: `vanban graph ID --json`,
/// `GET /documents/{id}/graph`; and the same as Graphviz DOT.
public enum GraphJSON {
    public static func encode(_ view: DocumentView) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("id", view.record.id)
        w.add("title", view.metadata.title, omitNil: false)
        w.add("number", view.metadata.number, omitNil: false)
        w.add("status", view.status?.rawValue, omitNil: false)
        w.add("status_label", view.status?.label, omitNil: false)
        w.addArray("outgoing", view.outgoing.map(DocumentJSON.relation))
        w.addArray("incoming", view.incoming.map(DocumentJSON.relation))
        return w.finish()
    }

    /// `digraph` with the document, the texts it cites and the texts citing it; a cited number
    /// the archive does not hold is a dashed node of its own.
    public static func dot(_ view: DocumentView) -> String {
        func quote(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: " ") + "\""
        }
        func node(_ e: DocumentRelation) -> String { e.documentID ?? "n:" + e.number }
        var out = "digraph vanban {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n"
        let me = view.record.id
        out += "  \(quote(me)) [label=\(quote(view.metadata.title ?? me)), style=bold];\n"
        var declared: Set<String> = [me]
        for e in view.outgoing + view.incoming where declared.insert(node(e)).inserted {
            let label = e.documentTitle ?? e.number
            out += "  \(quote(node(e))) [label=\(quote(label))\(e.documentID == nil ? ", style=dashed" : "")];\n"
        }
        for e in view.outgoing {
            out += "  \(quote(me)) -> \(quote(node(e))) [label=\(quote(RelationNames.label(e.relation) + (e.scope.map { " (\($0))" } ?? "")))];\n"
        }
        for e in view.incoming {
            // An incoming edge is drawn from the citing text, with the citing text's relation.
            out += "  \(quote(node(e))) -> \(quote(me)) [label=\(quote(RelationNames.label(RelationNames.forward(e.relation)) + (e.scope.map { " (\($0))" } ?? "")))];\n"
        }
        return out + "}\n"
    }
}

/// Relations as the national database names them, from either side ("amends", "amended_by").
public enum RelationNames {
    public static func label(_ name: String) -> String {
        CitationRelation.named(name).map { $0.relation.label(reversed: $0.reversed) } ?? name
    }

    /// The citing side's name: "amended_by" -> "amends".
    public static func forward(_ name: String) -> String {
        CitationRelation.named(name)?.relation.rawValue ?? name
    }
}
