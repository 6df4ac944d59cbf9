package aistats

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// isDBError401 recognises the server failing before any work: its
// credential lookup hit a database error, which it reports as 401 with
// reason db_error (contract-2026-07.md §2.1) rather than as a 5xx.
// Nothing was written, so the call is retried like a 503 (Create and
// Rotate included), and if it persists the error matches ErrServer as
// well as ErrUnauthorized.
func isDBError401(status int, body []byte) bool {
	if status != http.StatusUnauthorized || !bytes.Contains(body, []byte(`db_error`)) {
		return false
	}
	var env struct {
		Reason string `json:"reason"`
	}
	return json.Unmarshal(body, &env) == nil && env.Reason == "db_error"
}
