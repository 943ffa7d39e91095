import Hummingbird
import VanBanKit

/// `POST /documents`: one document into the archive and the index, through the same import
/// pipeline as `vanban import`. Needs the bearer token.
///
/// The body is the document itself (its Content-Type, metadata in the query string),
/// multipart/form-data (a `file` part and metadata fields), or application/json (one JSON Lines
/// line: `{"text", "title", ...}`).
struct UploadResource: Sendable {
    let state: ServerState
    init(_ state: ServerState) { self.state = state }

    func upload(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        try state.tokens.authorize(request)
        let limit = state.options.bodyLimit
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        await state.uploads.enter()
        do {
            let response = try await importBody(request, context, limit: limit)
            await state.uploads.leave()
            return response
        } catch {
            await state.uploads.leave()
            throw error
        }
    }

    private func importBody(_ request: Request, _ context: VanBanRequestContext, limit: Int) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do {
            // Multipart framing adds a little to the document itself.
            buffer = try await request.collectBody(upTo: limit + 64 * 1024)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Self.tooLarge(limit)
        }
        let body = Array(buffer.readableBytesView)
        let query = try QueryString(request.uri.query)
        let payload = try Self.payload(body: body, contentType: request.headers[.contentType],
                                       contentDisposition: request.headers[.contentDisposition], query: query)
        if payload.bytes.count > limit { throw Self.tooLarge(limit) }
        if payload.bytes.isEmpty { throw APIError(.badRequest, "empty_body", "the document is empty") }
        if let problem = payload.metadata.validationProblem() { throw APIError(.badRequest, "bad_metadata", problem) }

        var importOptions = ImportOptions()
        importOptions.maxSize = limit
        let library = state.library
        let logger = context.logger
        let (result, view) = try await state.libraryCall(context) { [importOptions] () -> (ImportResult?, DocumentView?) in
            var result: ImportResult?
            let summary = try library.importDocuments([.payload(payload)], options: importOptions) { result = $0 }
            for warning in summary.warnings { logger.warning("import warning", metadata: ["warning": .string(warning)]) }
            let view = try result?.record.map { try library.documentView(idOrKey: $0.id) }
            return (result, view)
        }
        guard let result else { throw APIError.internalError() }
        state.metrics.upload(result.failure == nil ? result.status.rawValue : "failed")
        if let failure = result.failure { throw APIError(failure) }
        guard let record = result.record, let view else { throw APIError.internalError() }
        var w = DocumentJSON.object(view, includeText: false)
        w.add("status", result.status.rawValue)
        context.logger.info("document \(result.status.rawValue)", metadata: ["id": .string(record.id), "seq": .stringConvertible(record.seq)])
        return Responses.json(w.finish(), status: result.status == .imported ? .created : .ok,
                              headers: [.location: "/documents/\(record.id)"])
    }

    /// A JSON body; one that is not a document (bad JSON, a wrong field type) is a 400 saying
    /// what a document looks like.
    static func jsonPayload(_ body: [UInt8], fields: UploadFields) throws -> ImportPayload {
        let result = Result { () throws(ImportFailure) -> ImportPayload in try .jsonUpload(body, fields: fields) }
        switch result {
        case .success(let payload): return payload
        case .failure(let failure) where failure.kind == .malformed:
            let names = DocumentMetadata.importedFieldNames.map { "\"\($0)\"" }.joined(separator: ", ")
            throw APIError(.badRequest, "bad_json", "\(failure.message) (expected {\"text\": ..., \(names)})")
        case .failure(let failure): throw APIError(failure)
        }
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "too_large", "the request body is over the limit of \(formatBytes(limit)) (\(limit) bytes)")
    }

    /// The document and its metadata from the request. Metadata names and values are checked
    /// by VanBanKit (`UploadFields`); this only reads them out of the HTTP framing.
    static func payload(body: [UInt8], contentType: String?, contentDisposition: String?, query: QueryString) throws -> ImportPayload {
        var fields = UploadFields()
        do {
            // Each value is checked as it is set (`UploadFields.set`), so a bad `date` here is
            // refused even when a multipart or JSON body gives a good one; the message says where.
            do {
                for (name, value) in query.pairs { try fields.set(name, value) }
            } catch {
                throw ImportFailure(error.kind, "in the query string: \(error.message)")
            }
            switch contentType.map(HeaderValue.init)?.mediaType {
            case "multipart/form-data":
                guard let boundary = MultipartForm.boundary(fromContentType: contentType!) else {
                    throw APIError(.badRequest, "bad_multipart", "multipart/form-data needs a boundary parameter")
                }
                let parts: [FormPart]
                do { parts = try MultipartForm.parse(body, boundary: boundary) } catch {
                    throw APIError(.badRequest, "bad_multipart", error.message)
                }
                let files = parts.filter { $0.name == "file" }
                guard files.count == 1, let file = files.first else {
                    throw APIError(.badRequest, "bad_multipart", files.isEmpty ? "the multipart body has no 'file' part" : "one document per request: the multipart body has \(files.count) 'file' parts")
                }
                for part in parts where part.name != "file" {
                    guard let value = String(validating: part.body, as: UTF8.self) else {
                        throw APIError(.badRequest, "bad_metadata", "the field '\(String(part.name.prefix(40)))' is not UTF-8 text")
                    }
                    try fields.set(part.name, value)
                }
                try fields.setFileNameIfAbsent(file.fileName)
                let mediaType = file.contentType.flatMap { HeaderValue($0).mediaType == "application/octet-stream" ? nil : $0 }
                return .upload(file.body, mediaType: mediaType, fields: fields)
            case "application/json":
                return try jsonPayload(body, fields: fields)
            case let type:
                if let disposition = contentDisposition {
                    let header = HeaderValue(disposition)
                    try fields.setFileNameIfAbsent(header.parameters["filename*"].flatMap(MultipartForm.decodeExtendedValue) ?? header.parameters["filename"])
                }
                let mediaType = (type == "application/octet-stream" || type == "") ? nil : contentType
                return .upload(body, mediaType: mediaType, fields: fields)
            }
        } catch let failure as ImportFailure {
            throw APIError(failure)
        }
    }
}
