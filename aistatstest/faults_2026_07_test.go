package aistatstest

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultsJuly2026(t *testing.T) {
	t.Run("respond does not apply", func(t *testing.T) {
		s := newServer(t)
		s.Inject(InternalError(1))
		r := do(t, s, http.MethodPost, "/keys", `{"name":"a"}`)
		assert.Equal(t, http.StatusInternalServerError, r.status)
		assert.JSONEq(t, `{"ok":false,"error":"failed","message":"injected internal error"}`, r.body)
		assert.Empty(t, s.APIKeys())
		assert.Equal(t, http.StatusCreated, do(t, s, http.MethodPost, "/keys", `{"name":"a"}`).status)
		assert.Equal(t, []string{"respond 500", ""}, faultNames(s))
	})
	t.Run("faults run before auth", func(t *testing.T) {
		s := newServer(t)
		s.Inject(ServiceUnavailable(1))
		r := doAuth(t, s, http.MethodGet, s.URL+"/management-keys", "", "")
		assert.Equal(t, http.StatusServiceUnavailable, r.status)
	})
	t.Run("drop after apply on POST /keys creates exactly one key", func(t *testing.T) {
		s := newServer(t)
		s.Inject(Fault{Kind: DropAfterApply, Method: http.MethodPost, Path: "/keys"})
		_, err := send(t, s, freshClient(), http.MethodPost, "/keys", `{"name":"once"}`)
		require.Error(t, err)
		keys := s.APIKeys()
		require.Len(t, keys, 1, "applied although unanswered")
		assert.Equal(t, "once", keys[0].Name)
		assert.Equal(t, "drop-after-apply", s.Requests()[0].Fault)
	})
	t.Run("drop before apply on POST /management-keys", func(t *testing.T) {
		s := newServer(t)
		s.Inject(Fault{Kind: DropBeforeApply, Path: "/v1/management-keys"})
		_, err := send(t, s, freshClient(), http.MethodPost, "/management-keys", `{"name":"a","scopes":"keys:read"}`)
		require.Error(t, err)
		assert.Len(t, s.Keys(), 1, "only the server key")
	})
	t.Run("truncate", func(t *testing.T) {
		s := newServer(t)
		s.SeedAPIKeys(3)
		s.Inject(Fault{Kind: Truncate, Method: http.MethodGet, Path: "/keys"})
		res, err := send(t, s, freshClient(), http.MethodGet, "/keys", "")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, res.StatusCode)
		b, err := io.ReadAll(res.Body)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, int(res.ContentLength)/2, len(b))
		assert.Equal(t, "no-store", res.Header.Get("Cache-Control"), "headers arrive intact")
	})
	t.Run("ignore offset on /keys", func(t *testing.T) {
		s := newServer(t)
		s.SeedAPIKeys(5)
		s.Inject(Fault{Kind: IgnoreOffset, Times: -1})
		r := do(t, s, http.MethodGet, "/keys?limit=2&offset=2", "")
		assert.Equal(t, []string{"api-key-0005", "api-key-0004"}, names(t, r), "first page again")
		assert.EqualValues(t, 5, r.json(t)["total_count"])
		r = do(t, s, http.MethodGet, "/management-keys?limit=1&offset=1", "")
		assert.Equal(t, []string{"aistatstest"}, names(t, r), "management keys too")
		assert.Equal(t, http.StatusOK, do(t, s, http.MethodGet, "/keys/"+s.APIKeys()[0].ID, "").status)
		assert.Equal(t, []string{"ignore-offset", "ignore-offset", ""}, faultNames(s), "gets are not lists")
	})
	t.Run("zero total on /keys", func(t *testing.T) {
		s := newServer(t)
		s.SeedAPIKeys(3)
		in := s.Inject(Fault{Kind: ZeroTotal, Times: 2})
		r := do(t, s, http.MethodGet, "/keys", "")
		assert.EqualValues(t, 0, r.json(t)["total_count"])
		assert.Len(t, names(t, r), 3, "the page itself is intact")
		r = do(t, s, http.MethodGet, "/management-keys", "")
		assert.Equal(t, []string{"data"}, fieldOrder(t, r.body), "nothing to zero, but the fault was used")
		assert.Equal(t, 0, in.Remaining())
		assert.EqualValues(t, 3, do(t, s, http.MethodGet, "/keys", "").json(t)["total_count"])
	})
	t.Run("requests are recorded and reset", func(t *testing.T) {
		s := newServer(t)
		do(t, s, http.MethodPost, "/keys?workspace_id="+s.WorkspaceID, `{"name":"a"}`)
		reqs := s.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, "/v1/keys", reqs[0].Path)
		assert.Equal(t, s.WorkspaceID, reqs[0].Query.Get("workspace_id"))
		assert.Equal(t, "a", reqs[0].Body["name"])
		assert.Equal(t, []string{Redacted}, reqs[0].Header.Values("Authorization"))
		s.Reset()
		assert.Zero(t, s.RequestCount())
		assert.Len(t, s.APIKeys(), 1, "Reset keeps keys")
		assert.Len(t, s.Keys(), 1, "and the server key")
		assert.Equal(t, http.StatusOK, do(t, s, http.MethodGet, "/keys", "").status, "which still works")
	})
}

func faultNames(s *Server) []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Fault)
	}
	return out
}
