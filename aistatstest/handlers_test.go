package aistatstest

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	uuidV4Pattern    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	plaintextPattern = regexp.MustCompile(`^aistats_v1_sk_([A-Za-z0-9]{12})_[A-Za-z0-9]{40}$`)
	createdAtPattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?\+00:00$`)
)

func TestCreate(t *testing.T) {
	s := newServer(t, asMarch2026)
	r := do(t, s, http.MethodPost, "/management/keys", `{"name":"  CI pipeline key  ","scopes":["read","write"]}`)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.True(t, strings.HasPrefix(r.body, "{\n  \"ok\": true,\n  \"key\": {\n    \"id\": "), "pretty-printed: %s", r.body)

	k := r.key(t)
	assert.Equal(t, []string{"created_at", "id", "key", "name", "prefix", "scopes", "status"}, sortedKeys(k))
	assert.Regexp(t, uuidV4Pattern, k["id"])
	assert.Equal(t, "CI pipeline key", k["name"], "name is trimmed")
	assert.Equal(t, "active", k["status"])
	assert.Equal(t, `["read","write"]`, k["scopes"])
	assert.Regexp(t, createdAtPattern, k["created_at"])
	m := plaintextPattern.FindStringSubmatch(k["key"].(string))
	require.NotNil(t, m, "plaintext %q", k["key"])
	assert.Equal(t, m[1][:6], k["prefix"], "prefix is the first 6 characters of the kid")

	stored, ok := s.Key(k["id"].(string))
	require.True(t, ok)
	assert.Equal(t, s.TeamID, stored.TeamID)
	assert.Equal(t, s.OwnerID, stored.CreatedBy)
	assert.Equal(t, []string{"read", "write"}, []string(stored.Scopes))
	assert.False(t, stored.SoftBlocked)
}

func TestCreateValidation(t *testing.T) {
	s := newServer(t, asMarch2026)
	const (
		nameRequired = `{"ok":false,"error":"validation_error","message":"name is required"}`
		nameTooLong  = `{"ok":false,"error":"validation_error","message":"name must be 100 characters or fewer"}`
		badStatus    = `{"ok":false,"error":"validation_error","message":"status must be active, disabled, or revoked"}`
		badScopes    = `{"ok":false,"error":"validation_error","message":"scopes must be a string or string array"}`
		invalidJSON  = `{"ok":false,"error":"invalid_json","message":"Invalid JSON body"}`
		forbidden    = `{"ok":false,"error":"forbidden","message":"team_id must match authenticated team"}`
	)
	other := newUUID()
	for _, tc := range []struct {
		name, path, body string
		status           int
		want             string // JSON body; "" when the answer is 201
	}{
		{"broken JSON", "", `{`, 400, invalidJSON},
		{"empty body", "", ``, 400, invalidJSON},
		{"trailing garbage", "", `{"name":"a"} x`, 400, invalidJSON},
		{"array body", "", `[]`, 400, nameRequired},
		{"string body", "", `"name"`, 400, nameRequired},
		{"no name", "", `{}`, 400, nameRequired},
		{"blank name", "", `{"name":" \t\u00a0\ufeff "}`, 400, nameRequired},
		{"number name", "", `{"name":5}`, 400, nameRequired},
		{"101 chars", "", `{"name":"` + strings.Repeat("a", 101) + `"}`, 400, nameTooLong},
		{"100 chars", "", `{"name":"` + strings.Repeat("a", 100) + `"}`, 201, ""},
		// JavaScript counts UTF-16 units: an emoji is two.
		{"50 emoji", "", `{"name":"` + strings.Repeat("😀", 50) + `"}`, 201, ""},
		{"51 emoji", "", `{"name":"` + strings.Repeat("😀", 51) + `"}`, 400, nameTooLong},
		{"paused status", "", `{"name":"a","status":"paused"}`, 400, badStatus},
		{"status case", "", `{"name":"a","status":"Active"}`, 400, badStatus},
		{"non-string status is active", "", `{"name":"a","status":5}`, 201, ""},
		{"object scopes", "", `{"name":"a","scopes":{}}`, 400, badScopes},
		{"number scopes", "", `{"name":"a","scopes":5}`, 400, badScopes},
		{"name checked before status", "", `{"status":"x"}`, 400, nameRequired},
		{"status checked before scopes", "", `{"name":"a","status":"x","scopes":5}`, 400, badStatus},
		{"other team in body", "", `{"name":"a","team_id":"` + other + `"}`, 403, forbidden},
		{"other team in query", "?team_id=" + other, `{"name":"a"}`, 403, forbidden},
		{"string body team wins over query", "?team_id=" + other, `{"name":"a","team_id":""}`, 201, ""},
		{"non-string body team falls back to query", "?team_id=" + other, `{"name":"a","team_id":5}`, 403, forbidden},
		{"own team", "", `{"name":"a","team_id":" ` + s.TeamID + ` "}`, 201, ""},
		{"BOM is ignored", "", "\ufeff{\"name\":\"a\"}", 201, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPost, "/management/keys"+tc.path, tc.body)
			require.Equal(t, tc.status, r.status, r.body)
			if tc.want != "" {
				assert.JSONEq(t, tc.want, r.body)
				assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
			}
		})
	}
	t.Run("null body is an uncaught exception", func(t *testing.T) {
		r := do(t, s, http.MethodPost, "/management/keys", `null`)
		assert.Equal(t, http.StatusInternalServerError, r.status)
		assert.Equal(t, "text/plain; charset=UTF-8", r.header.Get("Content-Type"))
		assert.Equal(t, "Internal Server Error", r.body)
	})
}

func TestCreateScopesAreStoredLikeTheServer(t *testing.T) {
	s := newServer(t, asMarch2026)
	for _, tc := range []struct{ in, want string }{
		{`absent`, `[]`},
		{`null`, `[]`},
		{`""`, `[]`},
		{`"   "`, `[]`},
		{`"  read,write  "`, `read,write`},
		{`"read write"`, `read write`},
		{`"[\"a\"]"`, `["a"]`},
		{`"garbage ["`, `garbage [`},
		{`[]`, `[]`},
		{`["read","write"]`, `["read","write"]`},
		{`[1, true, null, "x<y>&"]`, `["1","true","null","x<y>&"]`},
		{`[[1,null,2]]`, `["1,,2"]`},
		{`[{}]`, `["[object Object]"]`},
		{`[1e21, 1e-7, 1.50, -0, 100]`, `["1e+21","1e-7","1.5","0","100"]`},
		{`["quote\"back\\slash\n"]`, `["quote\"back\\slash\n"]`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			body := `{"name":"a","scopes":` + tc.in + `}`
			if tc.in == "absent" {
				body = `{"name":"a"}`
			}
			r := do(t, s, http.MethodPost, "/management/keys", body)
			require.Equal(t, http.StatusCreated, r.status, r.body)
			k := r.key(t)
			assert.Equal(t, tc.want, k["scopes"], "create answer")
			got := do(t, s, http.MethodGet, "/management/keys/"+k["id"].(string), "").key(t)
			assert.Equal(t, tc.want, got["scopes"], "stored verbatim")
		})
	}
}

func TestCreateSoftBlockedIsJavaScriptBoolean(t *testing.T) {
	s := newServer(t, asMarch2026)
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`absent`, false}, {`null`, false}, {`false`, false}, {`true`, true},
		{`0`, false}, {`-0`, false}, {`0.0`, false}, {`2`, true},
		{`""`, false}, {`"false"`, true}, {`"0"`, true}, {`[]`, true}, {`{}`, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			body := `{"name":"a","soft_blocked":` + tc.in + `}`
			if tc.in == "absent" {
				body = `{"name":"a"}`
			}
			r := do(t, s, http.MethodPost, "/management/keys", body)
			require.Equal(t, http.StatusCreated, r.status, r.body)
			assert.NotContains(t, r.key(t), "soft_blocked", "not echoed on create")
			got := do(t, s, http.MethodGet, "/management/keys/"+r.key(t)["id"].(string), "").key(t)
			assert.Equal(t, tc.want, got["soft_blocked"])
		})
	}
}

func TestGetErrors(t *testing.T) {
	s := newServer(t, asMarch2026)
	id := s.SeedKeys(1)[0].ID

	t.Run("unknown", func(t *testing.T) {
		r := do(t, s, http.MethodGet, "/management/keys/"+newUUID(), "")
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, "{\n  \"ok\": false,\n  \"error\": \"Key not found\"\n}", r.body)
		assert.Empty(t, r.header.Get("Cache-Control"), "404s from the id routes omit Cache-Control")
	})
	t.Run("other team", func(t *testing.T) {
		k := s.AddKey(KeySpec{Name: "theirs", TeamID: newUUID()})
		assert.Equal(t, http.StatusNotFound, do(t, s, http.MethodGet, "/management/keys/"+k.ID, "").status)
	})
	t.Run("not a uuid", func(t *testing.T) {
		r := do(t, s, http.MethodGet, "/management/keys/pk_abc%22123", "")
		assert.Equal(t, http.StatusInternalServerError, r.status)
		assert.JSONEq(t, `{"ok":false,"error":"failed","message":"invalid input syntax for type uuid: \"pk_abc%22123\""}`, r.body,
			"the id is quoted as received, still percent-encoded")
		assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	})
	t.Run("keys as id", func(t *testing.T) {
		// The server takes the last path segment as the id and treats
		// "keys" as missing, before parsing any body.
		for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
			r := do(t, s, m, "/management/keys/keys", "{")
			assert.Equal(t, http.StatusBadRequest, r.status, m)
			assert.JSONEq(t, `{"ok":false,"error":"key ID is required"}`, r.body, m)
		}
	})
	t.Run("postgres uuid spellings", func(t *testing.T) {
		for _, spelling := range []string{
			strings.ToUpper(id),
			"%7B" + id + "%7D", // braces, percent-encoded, are not decoded
			strings.ReplaceAll(id, "-", ""),
		} {
			r := do(t, s, http.MethodGet, "/management/keys/"+spelling, "")
			if strings.HasPrefix(spelling, "%7B") {
				assert.Equal(t, http.StatusInternalServerError, r.status, spelling)
				continue
			}
			require.Equal(t, http.StatusOK, r.status, spelling)
			assert.Equal(t, id, r.key(t)["id"], "answers with the canonical id")
		}
	})
}

func TestPatch(t *testing.T) {
	s := newServer(t, asMarch2026)
	id := s.AddKey(KeySpec{Name: "orig", Scopes: "read"}).ID
	path := "/management/keys/" + id

	r := do(t, s, http.MethodPatch, path, `{"name":"renamed","status":"disabled","soft_blocked":"false","scopes":["x"],"extra":1}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "{\n  \"ok\": true,\n  \"message\": \"Key updated successfully\"\n}", r.body, "no key in the answer")
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	k, _ := s.Key(id)
	assert.Equal(t, "renamed", k.Name)
	assert.Equal(t, "disabled", string(k.Status))
	assert.True(t, k.SoftBlocked, `"false" is truthy`)
	assert.Equal(t, []string{"read"}, []string(k.Scopes), "scopes cannot be changed")

	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"empty object", `{}`, 200, `{"ok":true,"message":"Key updated successfully"}`},
		{"array body", `[1]`, 200, `{"ok":true,"message":"Key updated successfully"}`},
		{"invalid JSON", `{"name":`, 400, `{"ok":false,"error":"invalid JSON"}`},
		{"empty body", ``, 400, `{"ok":false,"error":"invalid JSON"}`},
		{"paused", `{"status":"paused"}`, 400, `{"ok":false,"error":"Invalid status"}`},
		{"non-string status", `{"status":1}`, 400, `{"ok":false,"error":"Invalid status"}`},
		{"null status", `{"status":null}`, 400, `{"ok":false,"error":"Invalid status"}`},
		{"status checked before null name", `{"name":null,"status":"x"}`, 400, `{"ok":false,"error":"Invalid status"}`},
		{"null name", `{"name":null}`, 500,
			`{"ok":false,"error":"failed","message":"null value in column \"name\" of relation \"management_keys\" violates not-null constraint"}`},
		{"null body", `null`, 500,
			`{"ok":false,"error":"failed","message":"Cannot destructure property 'name' of 'body' as it is null."}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPatch, path, tc.body)
			assert.Equal(t, tc.status, r.status)
			assert.JSONEq(t, tc.want, r.body)
		})
	}
	k, _ = s.Key(id)
	assert.Equal(t, "renamed", k.Name, "failed patches change nothing")
	assert.Equal(t, "disabled", string(k.Status))

	t.Run("name is written as is", func(t *testing.T) {
		for body, want := range map[string]string{`{"name":""}`: "", `{"name":5.0}`: "5.0", `{"name":" x "}`: " x "} {
			require.Equal(t, http.StatusOK, do(t, s, http.MethodPatch, path, body).status)
			k, _ := s.Key(id)
			assert.Equal(t, want, k.Name, body)
		}
	})
	t.Run("unknown key wins over a bad status", func(t *testing.T) {
		r := do(t, s, http.MethodPatch, "/management/keys/"+newUUID(), `{"status":"nope"}`)
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.JSONEq(t, `{"ok":false,"error":"Key not found"}`, r.body)
	})
	t.Run("bad JSON wins over a bad id", func(t *testing.T) {
		assert.Equal(t, http.StatusBadRequest, do(t, s, http.MethodPatch, "/management/keys/nope", `{`).status)
		assert.Equal(t, http.StatusInternalServerError, do(t, s, http.MethodPatch, "/management/keys/nope", `{}`).status)
	})
}

func TestDelete(t *testing.T) {
	s := newServer(t, asMarch2026)
	keep := s.SeedKeys(1)[0]
	k := s.AddKey(KeySpec{Name: `CI "pipeline" key`})
	path := "/management/keys/" + k.ID

	r := do(t, s, http.MethodDelete, path, "")
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "{\n  \"ok\": true,\n  \"message\": \"Key \\\"CI \\\"pipeline\\\" key\\\" deleted successfully\"\n}", r.body)
	_, found := s.Key(k.ID)
	assert.False(t, found)
	assert.Len(t, s.Keys(), 1)
	assert.Equal(t, keep.ID, s.Keys()[0].ID)

	again := do(t, s, http.MethodDelete, path, "")
	assert.Equal(t, http.StatusNotFound, again.status, "delete is not idempotent")
	assert.JSONEq(t, `{"ok":false,"error":"Key not found"}`, again.body)

	bad := do(t, s, http.MethodDelete, "/management/keys/xyz", "")
	assert.Equal(t, http.StatusInternalServerError, bad.status)
	assert.JSONEq(t, `{"ok":false,"error":"failed","message":"invalid input syntax for type uuid: \"xyz\""}`, bad.body)
}
