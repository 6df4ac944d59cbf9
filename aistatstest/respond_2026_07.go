package aistatstest

import (
	"net/http"
	"regexp"
)

// 2026-07 answers: {"data": …} envelopes and {"error","message"} errors,
// pretty-printed by the server's safeJsonStringify, all with
// Cache-Control: no-store.

// jsText is a string the 2026-07 server sends through safeJsonStringify:
// a value that looks like an error message or a stack trace is replaced by
// "[redacted]" (so a key named "Error: prod" comes back redacted), and the
// rest is encoded like JSON.stringify (U+2028 and <, >, & unescaped).
type jsText string

func (t jsText) MarshalJSON() ([]byte, error) {
	s := string(t)
	if looksLikeErrorText.MatchString(s) || looksLikeStackTrace.MatchString(s) {
		s = "[redacted]"
	}
	return []byte(jsStringify(s)), nil
}

// The patterns of safe-json.ts: /Error:\s*[^\n]+/i and /\n\s*at\s+[^\n]+/i,
// with JavaScript's \s.
const jsSpaceClass = `[\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`

var (
	looksLikeErrorText  = regexp.MustCompile(`(?i)Error:` + jsSpaceClass + `*[^\n]`)
	looksLikeStackTrace = regexp.MustCompile(`(?i)\n` + jsSpaceClass + `*at` + jsSpaceClass + `+[^\n]`)
)

func nullableText(s string) *jsText {
	if s == "" {
		return nil
	}
	t := jsText(s)
	return &t
}

type apiErrorBody struct {
	Error     string `json:"error"`
	Message   jsText `json:"message"`
	RequestID string `json:"request_id,omitempty"` // the catch-all 500's
}

// authErrorBodyJuly2026 is the guard's 401, sent compact.
type authErrorBodyJuly2026 struct {
	Error        string `json:"error"`
	Reason       string `json:"reason"`
	RequestID    string `json:"request_id"`
	StatusCode   int    `json:"status_code"`
	ErrorType    string `json:"error_type"`
	ErrorOrigin  string `json:"error_origin"`
	GenerationID string `json:"generation_id"`
}

type dataBody[T any] struct {
	Data T `json:"data"`
}

type deletedBody struct {
	Deleted bool `json:"deleted"`
}

func errorReply(status int, code, message string) reply {
	return reply{status: status, noStore: true, body: apiErrorBodyOf(code, message, "")}
}

func badRequest(message string) reply {
	return errorReply(http.StatusBadRequest, "bad_request", message)
}

func notFound(message string) reply { return errorReply(http.StatusNotFound, "not_found", message) }

// internalError is the catch-all 500 of the 2026-07 routes; its request
// id is a plain UUID the server only logs.
func internalError() reply {
	return reply{status: http.StatusInternalServerError, noStore: true,
		body: apiErrorBodyOf("internal_error", "Phaseo could not complete this request.", newUUID())}
}

var (
	replyDeleted      = reply{status: http.StatusOK, noStore: true, body: deletedBody{Deleted: true}}
	replyInvalidJSON  = errorReply(http.StatusBadRequest, "invalid_json", "Invalid JSON body")
	replyNotAnObject  = errorReply(http.StatusBadRequest, "invalid_json", "JSON body must be an object")
	replyUncaught     = textReply(http.StatusInternalServerError, textServerError)
	replyWorkspaceBad = reply{status: http.StatusForbidden, noStore: true,
		body: errorBodyOf("forbidden", "workspace_id must match authenticated workspace")}
)

// requireJSONObject is the management routes' requireJsonBody.
func requireJSONObject(raw []byte) (map[string]any, reply, bool) {
	v, err := parseJSONBody(raw)
	if err != nil {
		return nil, replyInvalidJSON, false
	}
	body, ok := v.(map[string]any)
	if !ok {
		return nil, replyNotAnObject, false
	}
	return body, reply{}, true
}
