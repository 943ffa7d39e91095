import Hummingbird
import VanBanKit

/// The pages people read: `GET /` (the search page, which works without JavaScript) and
/// `GET /view/{id}` (one document). Errors are pages too, in Vietnamese.
struct PageResource: Sendable {
    let state: ServerState
    init(_ state: ServerState) { self.state = state }

    func search(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let query = (try? QueryString(request.uri.query)) ?? QueryString.empty
        let form = SearchForm(query)
        let library = state.library
        let filterValues = try? await Blocking.run { try library.filterValues() }
        var results: SearchResults?
        var errorMessage: String?
        var status = HTTPResponse.Status.ok
        if form.isSearch {
            do {
                results = try await state.runSearch(form.request(pageSize: state.options.pageSize), context)
            } catch let error as APIError {
                errorMessage = error.status == .badRequest ? error.message : "Máy chủ gặp lỗi khi tìm kiếm. Vui lòng thử lại sau."
                status = error.status
            }
        }
        // Untitled documents are shown by their file name.
        var fileNames: [String: String] = [:]
        for hit in results?.hits ?? [] where hit.metadata.title?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            if let name = try? library.resolve(hit.id).fileName { fileNames[hit.id] = name }
        }
        // The texts a news hit is about, when the archive has them.
        let newsIDs = (results?.hits ?? []).filter { $0.metadata.type == nil }.map(\.id)
        let originals = newsIDs.isEmpty ? [:] : await ((try? Blocking.run { library.citedDocuments(of: newsIDs) }) ?? [:])
        let html = Page.search(form: form, results: results, error: errorMessage, filterValues: filterValues,
                               pageSize: state.options.pageSize, fileNames: fileNames, originals: originals)
        return Responses.html(html, status: status)
    }

    func document(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let back = (try? QueryString(request.uri.query))?["q"]
        let id: String
        do { id = try DocumentResource.documentID(context) } catch let error as APIError {
            return Responses.html(Page.error(status: error.status, message: error.message), status: error.status)
        }
        let library = state.library
        do {
            let view = try await state.libraryCall(context) { try library.documentView(idOrKey: id) }
            return Responses.html(Page.document(view, backQuery: back))
        } catch let error as APIError {
            let message = error.status == .notFound ? "Không tìm thấy văn bản “\(id)”." : error.status.code >= 500 ? "Máy chủ gặp lỗi khi đọc văn bản." : error.message
            return Responses.html(Page.error(status: error.status, message: message), status: error.status)
        }
    }
}

extension QueryString {
    static let empty = try! QueryString(nil)
}
