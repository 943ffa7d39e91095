// The value types the front ends see. VanBanKit is the one way in: the command line and the
// server import VanBanKit and nothing below it, so every type that crosses the facade is
// named here (defined in the module that owns it, re-exported by name, one line each).
// Anything not listed stays inside the package.
import Archive
import DocumentModel
import SearchIndex

public typealias DocumentMetadata = DocumentModel.DocumentMetadata
public typealias MetadataField = DocumentModel.MetadataField
public typealias JSONObjectWriter = DocumentModel.JSONObjectWriter

public typealias ManifestRecord = Archive.ManifestRecord
public typealias VerifyReport = Archive.VerifyReport
public typealias VerifyProblem = Archive.VerifyProblem
public typealias VerifyProgress = Archive.VerifyProgress
public typealias PackReport = Archive.PackReport
public typealias PackProgress = Archive.PackProgress
public typealias PackTimings = Archive.PackTimings

public typealias SearchRequest = SearchIndex.SearchRequest
public typealias SearchResults = SearchIndex.SearchResults
public typealias QueryReading = SearchIndex.QueryReading
public typealias SearchHit = SearchIndex.SearchHit
public typealias SearchSort = SearchIndex.SearchSort
public typealias Filters = SearchIndex.Filters
public typealias Snippet = SearchIndex.Snippet
public typealias QueryError = SearchIndex.QueryError
public typealias QueryParser = SearchIndex.QueryParser
public typealias Ranking = SearchIndex.Ranking
public typealias SearchBudget = SearchIndex.SearchBudget
public typealias Facets = SearchIndex.Facets
public typealias FacetField = SearchIndex.FacetField
public typealias FacetValue = SearchIndex.FacetValue
public typealias PeriodDocument = SearchIndex.PeriodDocument
