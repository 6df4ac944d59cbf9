package aistats

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Seeds are the shapes of contract.md (Gen A first, then Gen B and the
// failure bodies). `go test` runs them as ordinary tests; `bash .ci/fuzz`
// mutates them.

var fuzzKeyObjects = []string{
	// Gen A list item
	`{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","name":"CI pipeline key","prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null}`,
	`{"id":"0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5","name":"legacy","prefix":"mT3zQa","status":"disabled","scopes":"read,write","created_at":"2026-02-20T09:00:00+00:00","last_used_at":null}`,
	// Gen A detail
	`{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","team_id":"5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c","name":"CI pipeline key","prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_by":"3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","created_at":"2026-03-10T14:02:11.482+00:00","last_used_at":null,"soft_blocked":false}`,
	// Gen A create (with the one-time plaintext)
	`{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","name":"CI pipeline key","prefix":"Q7xk2P","status":"active","scopes":"[\"read\",\"write\"]","created_at":"2026-03-10T14:02:11.482+00:00","key":"aistats_v1_sk_Q7xk2Pa9LmZt_Xb8RkT2mQ9vLw4NzC7yHd1Fp6JsGe3Ua5OiKc0Vt"}`,
	// Gen B management key
	`{"id":"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f","workspace_id":"5e0c7a3b-2f1d-4b8e-9a6c-7d4e3f2a1b0c","name":"Terraform","prefix":"Hk29sd","status":"paused","scopes":["keys:read","keys:write"],"created_by":null,"created_at":"2026-07-20T10:11:12.345+00:00","updated_at":"2026-07-20T10:11:12.345+00:00","last_used_at":"2026-07-21 08:00:00+00","expires_at":null,"soft_blocked":true,"daily_limit_requests":null}`,
	`{"id":"x","created_at":"2026-03-10T14:02:11Z","last_used_at":"","scopes":null,"key":"phaseo_v1_mk_Hk29sdQwErTy_a1B2a1B2a1B2a1B2a1B2"}`,
	`{}`,
}

func FuzzScopesUnmarshal(f *testing.F) {
	for _, s := range []string{
		`"[\"read\",\"write\"]"`, `"read,write"`, `"read write"`, `" read ,\twrite\n"`, `"[]"`, `""`, `null`,
		`["keys:read","keys:write"]`, `["a,b"," c ",""]`, `[]`, `"[\"a\""`, `"garbage["`, `"[1,2]"`,
		`123`, `{}`, `true`, `nul`, `[null]`, `"\u00a0read\u2028write"`, ` [ "x" ] `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Scopes
		if err := s.UnmarshalJSON(data); err != nil {
			return
		}
		for i, v := range s {
			if v == "" || v != strings.TrimSpace(v) {
				t.Fatalf("entry %d %q is empty or untrimmed (from %q)", i, v, data)
			}
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("re-marshal %q: %v", s, err)
		}
		if len(out) == 0 || out[0] != '[' {
			t.Fatalf("re-marshal is not a JSON array: %s", out)
		}
		var back Scopes
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decoding our own output %s: %v", out, err)
		}
		if !reflect.DeepEqual(s, back) {
			t.Fatalf("round trip changed the scopes: %q -> %s -> %q", s, out, back)
		}
	})
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

// fuzzValidHeaderValue mirrors what net/http lets through in a response
// header value: no control bytes other than tab.
func fuzzValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func FuzzListDecode(f *testing.F) {
	f.Add([]byte(`{"ok":true,"limit":50,"offset":0,"total":2,"keys":[` + fuzzKeyObjects[0] + `,` + fuzzKeyObjects[1] + `]}`))
	f.Add([]byte("{\n  \"ok\": true,\n  \"limit\": 250,\n  \"offset\": 500,\n  \"total\": 0,\n  \"keys\": []\n}"))
	f.Add([]byte(`{"data":[` + fuzzKeyObjects[4] + `]}`))
	f.Add([]byte(`{"data":[` + fuzzKeyObjects[2] + `],"total_count":7}`))
	f.Add([]byte(`{"ok":true,"keys":null,"data":null}`))
	f.Add([]byte(`{"ok":true,"keys":[null,{}]}`))
	f.Add([]byte(`{"ok":true,"keys":[{"created_at":"yesterday"}]}`))
	f.Add([]byte(`{"ok":true,"limit":-1,"offset":-5,"total":-9,"keys":[]}`))
	f.Add([]byte(`{"ok":false,"error":"Key not found"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`404 Not Found`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range []dialect{march2026{}, july2026{}} {
			page := &KeyPage{opts: ListKeysOptions{Limit: 50}}
			if err := d.decodeKeyPage(data, page); err != nil {
				continue
			}
			for i, k := range page.Keys {
				if k == nil || k.ID == "" {
					t.Fatalf("%s: key %d is nil or has no id", d.version(), i)
				}
			}
			if _, more := page.NextOptions(); more && len(page.Keys) == 0 {
				t.Fatalf("%s: an empty page must be the last", d.version())
			}
		}
		page := &APIKeyPage{opts: ListAPIKeysOptions{Limit: 50}}
		if err := decodeAPIKeyPage(data, page); err == nil {
			for i, k := range page.Keys {
				if k == nil || k.ID == "" {
					t.Fatalf("API key %d is nil or has no id", i)
				}
			}
		}
	})
}

func FuzzKeyUnmarshal(f *testing.F) {
	for _, s := range fuzzKeyObjects {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"created_at":12}`))
	f.Add([]byte(`{"created_at":"2026-03-10 14:02:11.482+00","last_used_at":"2026-03-10T14:02:11+00"}`))
	f.Add([]byte(`{"key":"aistats_v1_sk_short_x"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var k Key
		keyErr := json.Unmarshal(data, &k)
		var ck CreatedKey
		err := json.Unmarshal(data, &ck)
		if (keyErr == nil) != (err == nil) {
			t.Fatalf("Key and CreatedKey disagree: %v / %v", keyErr, err)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(k, ck.Key) {
			t.Fatalf("CreatedKey.Key differs from Key:\n%#v\n%#v", k, ck.Key)
		}
		var wire struct {
			Plaintext string `json:"key"`
		}
		_ = json.Unmarshal(data, &wire)
		plain := ck.Secret.Reveal()
		if plain != wire.Plaintext {
			t.Fatalf("Reveal() = %q, want the \"key\" field %q", plain, wire.Plaintext)
		}
		// The secret renders redacted: empty, [REDACTED], or a prefix of the
		// plaintext that leaves its secret part (16+ bytes) out.
		red := ck.Secret.Redacted()
		if !utf8.ValidString(red) {
			t.Fatalf("Redacted() of %q is not valid UTF-8: %q", plain, red)
		}
		for _, out := range []string{red, ck.Secret.String(), fuzzJSONString(t, ck.Secret)} {
			switch {
			case plain == "" && out == "":
			case out == "[REDACTED]":
			case strings.HasSuffix(out, "…") && strings.HasPrefix(plain, strings.TrimSuffix(out, "…")) &&
				len(plain)-len(strings.TrimSuffix(out, "…")) >= 6+1+16: // rest of the key id, "_", secret
			default:
				t.Fatalf("secret %q renders as %q", plain, out)
			}
		}
		// What the SDK decoded it can encode, and decode again unchanged.
		out, err := json.Marshal(ck.Key)
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		var back Key
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decoding our own output %s: %v", out, err)
		}
		fuzzSameKey(t, &ck.Key, &back)
	})
}

func fuzzJSONString(t *testing.T, s Secret) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("marshal secret: %v", err)
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		t.Fatalf("secret marshals to %s: %v", b, err)
	}
	return str
}

func fuzzSameKey(t *testing.T, a, b *Key) {
	t.Helper()
	if !a.CreatedAt.Equal(b.CreatedAt) || (a.LastUsedAt == nil) != (b.LastUsedAt == nil) ||
		(a.LastUsedAt != nil && !a.LastUsedAt.Equal(*b.LastUsedAt)) {
		t.Fatalf("times changed: %v/%v -> %v/%v", a.CreatedAt, a.LastUsedAt, b.CreatedAt, b.LastUsedAt)
	}
	a2, b2 := *a, *b
	a2.CreatedAt, a2.LastUsedAt, b2.CreatedAt, b2.LastUsedAt = time.Time{}, nil, time.Time{}, nil
	if !reflect.DeepEqual(a2, b2) {
		t.Fatalf("round trip changed the key:\n%#v\n%#v", a2, b2)
	}
}
