package aistatstest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

const (
	contentTypeJSON = "application/json"
	// Hono's default 404 and 500 answers.
	contentTypeText = "text/plain; charset=UTF-8"
	textNotFound    = "404 Not Found"
	textServerError = "Internal Server Error"
)

// reply is a handler's answer. Handlers build it under the server's lock;
// it is written after the lock is released so a slow reader cannot stall
// other requests.
type reply struct {
	status  int
	body    any    // JSON body; when nil, text is sent as text/plain
	text    string // body for text replies
	compact bool   // the auth guard's JSON is compact; the routes' is indented
	noStore bool   // Cache-Control: no-store (most, not all, answers have it)
}

func textReply(status int, text string) reply { return reply{status: status, text: text} }

func (rep reply) write(w http.ResponseWriter) {
	h := w.Header()
	var body []byte
	if rep.body == nil {
		h.Set("Content-Type", contentTypeText)
		body = []byte(rep.text)
	} else {
		h.Set("Content-Type", contentTypeJSON)
		body = encodeJSON(rep.body, !rep.compact)
	}
	if rep.noStore {
		h.Set("Cache-Control", "no-store")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rep.status)
	_, _ = w.Write(body)
}

// encodeJSON matches JSON.stringify(v) or JSON.stringify(v, null, 2): no
// HTML escaping and no trailing newline.
func encodeJSON(v any, indent bool) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		panic("aistatstest: encoding a reply: " + err.Error()) // the reply types always encode
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// formatTimestamp renders a timestamptz the way PostgREST does:
// "2026-03-10T14:02:11.482+00:00", trailing zeros of the fraction dropped.
func formatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999999-07:00")
}

func formatNullableTimestamp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTimestamp(*t)
	return &s
}

// Wire shapes. Field order matters: the server builds these objects
// literally and clients may compare bodies byte for byte.

type errorBody struct {
	OK      bool   `json:"ok"`
	Error   string `json:"error"`
	Message string `json:"message,omitempty"`
}

type authErrorBody struct {
	Error     string `json:"error"`
	Reason    string `json:"reason"`
	RequestID string `json:"request_id"`
}

type messageBody struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

type listBody struct {
	OK     bool       `json:"ok"`
	Limit  int        `json:"limit"`
	Offset int64      `json:"offset"`
	Total  int        `json:"total"`
	Keys   []listItem `json:"keys"`
}

type listItem struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Prefix     string  `json:"prefix"`
	Status     string  `json:"status"`
	Scopes     string  `json:"scopes"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
}

type keyBody[T any] struct {
	OK  bool `json:"ok"`
	Key T    `json:"key"`
}

type keyDetail struct {
	ID          string  `json:"id"`
	TeamID      string  `json:"team_id"`
	Name        string  `json:"name"`
	Prefix      string  `json:"prefix"`
	Status      string  `json:"status"`
	Scopes      string  `json:"scopes"`
	CreatedBy   string  `json:"created_by"`
	CreatedAt   string  `json:"created_at"`
	LastUsedAt  *string `json:"last_used_at"`
	SoftBlocked bool    `json:"soft_blocked"`
}

type createdKey struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Prefix    string `json:"prefix"`
	Status    string `json:"status"`
	Scopes    string `json:"scopes"`
	CreatedAt string `json:"created_at"`
	Key       string `json:"key"`
}
