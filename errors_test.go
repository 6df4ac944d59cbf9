package aistats

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// getError makes one Get against a server answering with script and
// returns the *APIError it fails with.
func getError(t *testing.T, script []reply, opts ...Option) (*APIError, *testServer) {
	t.Helper()
	srv := newTestServer(t, script...)
	c := newTestClient(t, srv.BaseURL(), opts...)
	_, err := c.Keys.Get(context.Background(), testKeyID)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr, srv
}

func TestAPIErrorFromEachErrorShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                     string
		reply                    reply
		status                   int
		code, message, requestID string
	}{
		{
			name:  "generation A validation",
			reply: jsonReply(400, `{"ok":false,"error":"validation_error","message":"name is required"}`),
			code:  "validation_error", message: "name is required",
		},
		{
			name:    "generation A not found: human text in error",
			reply:   jsonReply(404, `{"ok":false,"error":"Key not found"}`),
			message: "Key not found",
		},
		{
			name:  "auth failure with reason and request id",
			reply: jsonReply(401, `{"error":"unauthorised","reason":"invalid_secret","request_id":"G-01HZX3K4M5N6P7Q8R9S0T1V2W3"}`),
			code:  "unauthorised", message: "invalid_secret", requestID: "G-01HZX3K4M5N6P7Q8R9S0T1V2W3",
		},
		{
			name:  "generation B not found",
			reply: jsonReply(404, `{"error":"not_found","message":"Management key not found"}`),
			code:  "not_found", message: "Management key not found",
		},
		{
			name:  "database failure on 500",
			reply: jsonReply(500, `{"ok":false,"error":"failed","message":"invalid input syntax for type uuid: \"abc\""}`),
			code:  "failed", message: `invalid input syntax for type uuid: "abc"`,
		},
		{
			name:    "text/plain from the router",
			reply:   reply{Status: 404, Header: http.Header{"Content-Type": {"text/plain; charset=UTF-8"}}, Body: "404 Not Found"},
			message: "404 Not Found",
		},
		{
			name: "HTML gateway page: the title",
			reply: reply{Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<!DOCTYPE html>\n<html><head>\n" +
				"<title>\n  api.phaseo.app | 502: Bad gateway\n</title></head><body><h1>Bad gateway</h1>cloudflare</body></html>"},
			message: "api.phaseo.app | 502: Bad gateway",
		},
		{
			name:    "empty body: the status text",
			reply:   reply{Status: 500},
			message: "Internal Server Error",
		},
		{
			name:  "nested error object",
			reply: jsonReply(409, `{"error":{"code":"conflict","message":"key is deleted","request_id":"req-nested"}}`),
			code:  "conflict", message: "key is deleted", requestID: "req-nested",
		},
		{
			name: "request id from X-Request-Id",
			reply: reply{Status: 404, Body: `{"ok":false,"error":"Key not found"}`,
				Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req-header"}}},
			message: "Key not found", requestID: "req-header",
		},
		{
			name: "request id from CF-Ray",
			reply: reply{Status: 404, Body: "404 Not Found",
				Header: http.Header{"Cf-Ray": {"8a1b2c3d4e5f6a7b-AMS"}}},
			message: "404 Not Found", requestID: "8a1b2c3d4e5f6a7b-AMS",
		},
		{
			name: "request id in the body wins over the header",
			reply: reply{Status: 401, Body: `{"error":"unauthorised","reason":"invalid_secret","request_id":"G-body"}`,
				Header: http.Header{"X-Request-Id": {"req-header"}}},
			code: "unauthorised", message: "invalid_secret", requestID: "G-body",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			apiErr, _ := getError(t, []reply{tt.reply}, WithMaxRetries(0))
			assert.Equal(t, tt.reply.Status, apiErr.StatusCode, "StatusCode")
			assert.Equal(t, tt.code, apiErr.Code, "Code")
			assert.Equal(t, tt.message, apiErr.Message, "Message")
			assert.Equal(t, tt.requestID, apiErr.RequestID, "RequestID")
			assert.Equal(t, tt.reply.Body, string(apiErr.Body), "Body")
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.Equal(t, testKeyPath, apiErr.Path)
			assert.Equal(t, 1, apiErr.Attempts)
		})
	}
}

func TestAPIErrorKeepsCappedBodyAndHeader(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("x", 100<<10)
	apiErr, _ := getError(t, []reply{{Status: 404, Body: body, Header: http.Header{"X-Custom": {"kept"}}}})
	assert.Len(t, apiErr.Body, 64<<10)
	assert.True(t, bytes.HasPrefix([]byte(body), apiErr.Body), "Body is a prefix of what was sent")
	assert.Equal(t, "kept", apiErr.Header.Get("X-Custom"))
}

func TestAPIErrorMatchesSentinelForItsStatus(t *testing.T) {
	t.Parallel()
	sentinels := []error{ErrInvalidRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer, ErrUnknownOutcome}
	tests := []struct {
		status int
		want   error // nil: no sentinel
	}{
		{400, ErrInvalidRequest}, {422, ErrInvalidRequest},
		{401, ErrUnauthorized}, {403, ErrForbidden}, {404, ErrNotFound},
		{409, ErrConflict}, {429, ErrRateLimited},
		{500, ErrServer}, {501, ErrServer}, {502, ErrServer}, {503, ErrServer}, {599, ErrServer},
		{302, nil}, {402, nil}, {405, nil}, {410, nil}, {418, nil}, {600, nil},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			t.Parallel()
			// Wrapped, as callers usually see it.
			err := errors.Join(errors.New("context"), &APIError{StatusCode: tt.status})
			for _, s := range sentinels {
				assert.Equal(t, s == tt.want, errors.Is(err, s), "errors.Is(%d, %v)", tt.status, s)
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
		})
	}
}

func TestAPIErrorStringIsOneSafeLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply reply
		want  string // "" when only the properties are checked
	}{
		{
			name: "not found with a request id",
			reply: reply{Status: 404, Body: `{"ok":false,"error":"Key not found"}`,
				Header: http.Header{"X-Request-Id": {"req-1"}}},
			want: "aistats: GET " + testKeyPath + ": 404 Not Found: Key not found (request_id=req-1)",
		},
		{
			name:  "code and message",
			reply: jsonReply(400, `{"ok":false,"error":"validation_error","message":"name is required"}`),
			want:  "aistats: GET " + testKeyPath + ": 400 Bad Request: validation_error: name is required",
		},
		{
			name:  "multi-line database message",
			reply: jsonReply(500, `{"ok":false,"error":"failed","message":"relation does not exist\nLINE 1: select *\r\n  ^"}`),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			apiErr, _ := getError(t, []reply{tt.reply}, WithMaxRetries(0))
			msg := apiErr.Error()
			if tt.want != "" {
				assert.Equal(t, tt.want, msg)
			}
			assert.NotContains(t, msg, "\n", "one line")
			assert.Contains(t, msg, "GET "+testKeyPath)
			assert.Contains(t, msg, strconv.Itoa(apiErr.StatusCode)+" "+http.StatusText(apiErr.StatusCode))
			assert.Contains(t, msg, strings.Join(strings.Fields(apiErr.Message), " "), "the message, white space folded")
			assert.NotContains(t, msg, testAPIKey)
		})
	}
}

func TestAPIErrorNeverContainsAPIKey(t *testing.T) {
	t.Parallel()
	apiErr, _ := getError(t, []reply{jsonReply(401, `{"error":"unauthorised","reason":"invalid_secret","request_id":"G-1"}`)})
	secretPart := testAPIKey[strings.LastIndexByte(testAPIKey, '_')+1:]
	for _, s := range []string{apiErr.Error(), string(apiErr.Body), headerText(apiErr.Header)} {
		assert.NotContains(t, s, secretPart)
	}
}

func headerText(h http.Header) string {
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}

func TestAPIErrorAttemptsCountsRetries(t *testing.T) {
	t.Parallel()
	apiErr, srv := getError(t, []reply{jsonReply(503, `{}`), jsonReply(503, `{}`), jsonReply(404, `{"ok":false,"error":"Key not found"}`)})
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.Equal(t, 3, srv.count())
	assert.ErrorIs(t, apiErr, ErrNotFound)
	assert.Contains(t, apiErr.Error(), "attempts=3")
}

// TestReadsRetryBounded checks only that reads retry transient failures a
// bounded number of times; the retry policy itself is tested elsewhere.
func TestReadsRetryBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status, maxRetries int
		sentinel           error
	}{
		{503, 2, ErrServer},
		{429, 1, ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, jsonReply(tt.status, `{"error":"busy","message":"try later"}`))
			c := newTestClient(t, srv.BaseURL(), WithMaxRetries(tt.maxRetries))
			_, err := c.Keys.List(context.Background(), nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.maxRetries+1, apiErr.Attempts)
			assert.Equal(t, tt.maxRetries+1, srv.count())
			assert.ErrorIs(t, err, tt.sentinel)
		})
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			target := newTestServer(t, jsonReply(200, detailJSON))
			location := target.BaseURL() + "/management/keys/" + testKeyID
			apiErr, srv := getError(t, []reply{{Status: status, Header: http.Header{"Location": {location}}}})
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, location, apiErr.Header.Get("Location"))
			assert.Equal(t, 1, srv.count(), "a redirect is not retried")
			assert.Zero(t, target.count(), "the redirect target must never be contacted")
		})
	}
}

func TestDecodeErrorOnUnexpected2xxBody(t *testing.T) {
	t.Parallel()
	long := `{"ok":true,"key":` + strings.Repeat(" ", 600) + `oops`
	tests := []struct {
		name         string
		status       int
		body         string
		call         func(context.Context, *KeysService) error
		method, path string
	}{
		{name: "invalid JSON", status: 200, body: `{"ok":true,"key":`, call: getKey, method: "GET", path: testKeyPath},
		{name: "HTML page", status: 200, body: "<html><body>Please wait…</body></html>", call: getKey, method: "GET", path: testKeyPath},
		{name: "get without a key", status: 200, body: `{"ok":true}`, call: getKey, method: "GET", path: testKeyPath},
		{name: "get, unparseable timestamp", status: 200, body: `{"ok":true,"key":{"id":"k","created_at":"yesterday"}}`, call: getKey, method: "GET", path: testKeyPath},
		{name: "get, 204 without a body", status: 204, body: "", call: getKey, method: "GET", path: testKeyPath},
		{name: "snippet is capped at 512 bytes", status: 200, body: long, call: getKey, method: "GET", path: testKeyPath},
		{
			name: "list without keys", status: 200, body: `{"ok":true}`, method: "GET", path: testKeysPath,
			call: func(ctx context.Context, k *KeysService) error { return errOnly(k.List(ctx, nil)) },
		},
		{
			name: "create without a key", status: 201, body: `{"ok":true,"message":"created"}`, method: "POST", path: testKeysPath,
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.Create(ctx, &CreateKeyParams{Name: "n"}))
			},
		},
		{
			name: "update, invalid JSON", status: 200, body: `not json`, method: "PATCH", path: testKeyPath,
			call: func(ctx context.Context, k *KeysService) error {
				return errOnly(k.Update(ctx, testKeyID, &UpdateKeyParams{Name: Ptr("n")}))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, reply{Status: tt.status, Body: tt.body})
			c := newTestClient(t, srv.BaseURL())
			err := tt.call(context.Background(), c.Keys)
			var decErr *DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Equal(t, tt.status, decErr.StatusCode)
			assert.Equal(t, tt.body[:min(len(tt.body), 512)], string(decErr.Snippet))
			assert.Equal(t, tt.method, decErr.Method)
			assert.Equal(t, tt.path, decErr.Path)
			assert.Error(t, decErr.Err)
			var apiErr *APIError
			assert.False(t, errors.As(err, &apiErr), "a 2xx is never an *APIError")
			assert.Equal(t, 1, srv.count(), "a decode failure is not retried")
		})
	}
}

func FuzzErrorBody(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{401, `{"error":"unauthorised","reason":"invalid_secret","request_id":"G-01HZX3K4M5N6P7Q8R9S0T1V2W3"}`},
		{401, `{"error":"unauthorised","reason":"key_not_found_or_revoked","request_id":"G-01HZX3K4M5N6P7Q8R9S0T1V2W3","status_code":401,"error_type":"user","error_origin":"user","generation_id":"G-01HZX3K4M5N6P7Q8R9S0T1V2W3"}`},
		{400, `{"ok":false,"error":"validation_error","message":"name is required"}`},
		{400, "{\n  \"ok\": false,\n  \"error\": \"invalid_json\",\n  \"message\": \"Invalid JSON body\"\n}"},
		{400, `{"ok":false,"error":"Invalid status"}`},
		{403, `{"ok":false,"error":"forbidden","message":"team_id must match authenticated team"}`},
		{404, `{"ok":false,"error":"Key not found"}`},
		{500, `{"ok":false,"error":"failed","message":"invalid input syntax for type uuid: \"abc\""}`},
		{500, `{"ok":false,"error":"failed","message":"syntax error at or near \"\t\" (SQLSTATE 42601)"}`},
		{500, `{"ok":false,"error":"failed","message":"` + strings.Repeat("duplicate key value violates unique constraint ", 4) + `"}`},
		{503, `{"ok":false,"error":"server_misconfig_missing_pepper","message":"KEY_PEPPER is not configured"}`},
		{403, `{"error":"insufficient_scope","message":"Token requires management_keys:read"}`},
		{404, `{"error":"not_found","message":"Management key not found"}`},
		{500, `{"error":"internal_error","message":"Phaseo could not complete this request.","request_id":"4f0e9c3b-2d8e-4a5f-9c40-9b2f6c1e4a7d"}`},
		{502, `{"error":{"code":"bad_gateway","message":"upstream timed out","request_id":"r-1"}}`},
		{404, "404 Not Found"},
		{500, "Internal Server Error"},
		{520, "<!DOCTYPE html>\n<html><head><title>\n  Web server is returning an unknown error | api.phaseo.app\n</title></head><body>cf</body></html>"},
		{429, ""},
		{0, "{"},
		{999, `{"error":42,"message":["x"]}`},
		{-1, "\xff\xfe\x00line1\r\nline2"},
	} {
		f.Add(s.status, "req-123", "", []byte(s.body))
		f.Add(s.status, "", "8d7c6b5a4f3e2d1c-AMS", []byte(s.body))
	}
	for _, s := range hostileSeeds(f) {
		f.Add(400, s, "", []byte(s))
		f.Add(502, "", s, []byte(`{"error":{"code":`+jsonString(s)+`,"message":`+jsonString(s)+`,"request_id":`+jsonString(s)+`}}`))
	}
	f.Fuzz(func(t *testing.T, status int, requestID, cfRay string, body []byte) {
		header := http.Header{}
		if requestID != "" && fuzzValidHeaderValue(requestID) {
			header.Set("X-Request-Id", requestID)
		}
		if cfRay != "" && fuzzValidHeaderValue(cfRay) {
			header.Set("Cf-Ray", cfRay)
		}
		e := newAPIError(status, header, body, nil)
		if e.StatusCode != status {
			t.Fatalf("StatusCode %d, want %d", e.StatusCode, status)
		}
		if capped := body[:min(len(body), maxErrorBody)]; !bytes.Equal(e.Body, []byte((*scrubber)(nil).serverText(string(capped), keptText, maxErrorBody))) {
			t.Fatalf("Body is %d bytes and not a prefix of the response", len(e.Body))
		}
		// Error() caps the fields it shows.
		msg := e.Error()
		if n := utf8.RuneCountInString(msg); n > 600 {
			t.Fatalf("Error() is %d runes, want a bounded log line", n)
		}
		if msg == "" || printableLine(msg) != msg {
			t.Fatalf("Error() must be one non-empty printable line, got %q", msg)
		}
		for _, field := range []string{e.Code, e.Message, e.RequestID} {
			if printableLine(field) != field {
				t.Fatalf("Code, Message and RequestID must be printable lines, got %q", field)
			}
		}
		e.Method, e.Path, e.Attempts = "GET", "/v1/management/keys", 3
		if msg := e.Error(); !strings.HasPrefix(msg, "aistats: GET /v1/management/keys: ") || strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("Error() with a call: %q", msg)
		}
	})
}

// 403 insufficient_scope keeps the code and the server's message; 409 is
// ErrConflict; both envelopes decode on both versions.
func TestScopeAndConflictErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body           string
		status         int
		want           error
		code, message  string
		newClientMaker func(*testing.T, string, ...Option) *Client
	}{
		{`{"error":"insufficient_scope","message":"Token requires management_keys:write"}`, 403, ErrForbidden,
			"insufficient_scope", "Token requires management_keys:write", newJulyClient},
		{`{"ok":false,"error":"forbidden","message":"team_id must match authenticated team"}`, 403, ErrForbidden,
			"forbidden", "team_id must match authenticated team", newJulyClient},
		{`{"error":"conflict","message":"Deleted API keys cannot be rotated"}`, 409, ErrConflict,
			"conflict", "Deleted API keys cannot be rotated", newJulyClient},
		{`{"error":"insufficient_scope","message":"Token requires management_keys:write"}`, 403, ErrForbidden,
			"insufficient_scope", "Token requires management_keys:write", newTestClient},
		{`{"error":"key_limit_reached","message":"Key limit reached (5) for this workspace."}`, 409, ErrConflict,
			"key_limit_reached", "Key limit reached (5) for this workspace.", newTestClient},
	} {
		srv := newTestServer(t, jsonReply(tt.status, tt.body))
		_, err := tt.newClientMaker(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
		assert.ErrorIs(t, err, tt.want, tt.body)
		var apiErr *APIError
		if assert.ErrorAs(t, err, &apiErr) {
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.message, apiErr.Message)
		}
	}
}
