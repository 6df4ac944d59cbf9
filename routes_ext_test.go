package aistats_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// (5) Ids that would change the path are refused before any I/O.
func TestKeyIDsThatEscapeThePathAreRefused(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1); secCanned(w, r) })
	c, jc := secClient(t, srv.URL), secJulyClient(t, srv.URL)
	ctx := context.Background()
	for _, id := range []string{"", ".", "..", "a/b", `a\b`, "../../admin", `..\..`, "/", secKeyID + "/x", secHash + "/rotate"} {
		errs := map[string]error{
			"Get":                    errOnly(c.Keys.Get(ctx, id)),
			"Update":                 errOnly(c.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")})),
			"Delete":                 c.Keys.Delete(ctx, id),
			"2026-07 Keys.Get":       errOnly(jc.Keys.Get(ctx, id)),
			"2026-07 Keys.Update":    errOnly(jc.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")})),
			"2026-07 Keys.Delete":    jc.Keys.Delete(ctx, id),
			"2026-07 APIKeys.Get":    errOnly(jc.APIKeys.Get(ctx, id)),
			"2026-07 APIKeys.Update": errOnly(jc.APIKeys.Update(ctx, id, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("n")})),
			"2026-07 APIKeys.Delete": jc.APIKeys.Delete(ctx, id),
			"2026-07 APIKeys.Rotate": errOnly(jc.APIKeys.Rotate(ctx, id, nil)),
		}
		for op, err := range errs {
			var ve *aistats.ValidationError
			if assert.ErrorAs(t, err, &ve, "%s(%q)", op, id) {
				assert.Equal(t, "id", ve.Field)
			}
			assert.ErrorIs(t, err, aistats.ErrInvalidRequest)
		}
	}
	assert.Zero(t, hits.Load(), "no request was sent")
}

// (5) Ids that are not UUIDs never reach the server (it would answer them
// with a 500 that retries cannot fix); every spelling of a UUID that
// Postgres reads is escaped into exactly one path segment.
func TestKeyIDIsEscapedIntoOneSegment(t *testing.T) {
	t.Parallel()
	type seen struct{ escaped, path, query string }
	got := make(chan seen, 8)
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.URL.EscapedPath(), r.URL.Path, r.URL.RawQuery}
		secCanned(w, r)
	})
	c := secClient(t, srv.URL)
	calls := func(id string) map[string]func() error {
		return map[string]func() error{
			"Get":    func() error { return errOnly(c.Keys.Get(context.Background(), id)) },
			"Delete": func() error { return c.Keys.Delete(context.Background(), id) },
			"Update": func() error {
				return errOnly(c.Keys.Update(context.Background(), id, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")}))
			},
		}
	}
	for _, id := range []string{"a?b=c", "a#frag", "100%", "%2e%2e", "a%2Fb", "a b", "ключ", "🔑", "a;b", "a+b&c", "..a", "a..", "?", "#",
		secKeyID + "/x", secKeyID + "?x=1", "{" + secKeyID, secKeyID[:35]} {
		for op, call := range calls(id) {
			err := call()
			var ve *aistats.ValidationError
			if assert.ErrorAs(t, err, &ve, "%s(%q)", op, id) {
				assert.Equal(t, "id", ve.Field)
			}
		}
	}
	require.Empty(t, got, "no request for an invalid id")
	for _, id := range []string{secKeyID, strings.ToUpper(secKeyID), "{" + secKeyID + "}", strings.ReplaceAll(secKeyID, "-", ""), "9b2f-6c1e-4a7d-4f0e-9c3b-2d8e-1a5f-7c40"} {
		for op, call := range calls(id) {
			require.NoError(t, call(), "%s(%q)", op, id)
			s := <-got
			seg, ok := strings.CutPrefix(s.escaped, secKeysPath+"/")
			require.True(t, ok, "%s(%q): escaped path %q", op, id, s.escaped)
			assert.NotContains(t, seg, "/", "%s(%q): one segment", op, id)
			unescaped, err := url.PathUnescape(seg)
			assert.NoError(t, err)
			assert.Equal(t, id, unescaped, "%s(%q): escaped path %q", op, id, s.escaped)
			assert.Equal(t, secKeysPath+"/"+id, s.path, op)
			assert.Empty(t, s.query, "%s(%q): nothing leaked into the query", op, id)
			if op == "Update" {
				<-got // the 2026-03 read-back GET
			}
		}
	}
}

// (5) On 2026-07, /v1/keys/{id} looks a key up by dashed UUID or by its
// 64-hex hash; anything else never leaves the client, and valid ids are
// exactly one path segment (before /rotate).
func TestAPIKeyIDIsEscapedIntoOneSegment(t *testing.T) {
	t.Parallel()
	got := make(chan string, 8)
	srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.EscapedPath() + "?" + r.URL.RawQuery
		secJulyCanned(w, r)
	})
	c := secJulyClient(t, srv.URL)
	ctx := context.Background()
	calls := func(id string) map[string]func() error {
		return map[string]func() error{
			"Get":    func() error { return errOnly(c.APIKeys.Get(ctx, id)) },
			"Delete": func() error { return c.APIKeys.Delete(ctx, id) },
			"Update": func() error {
				return errOnly(c.APIKeys.Update(ctx, id, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("n")}))
			},
			"Rotate": func() error { return errOnly(c.APIKeys.Rotate(ctx, id, nil)) },
		}
	}
	for _, id := range []string{"a?b=c", "a#frag", "%2e%2e", "a b", "ключ", "{" + leakAPIKeyID + "}",
		strings.ReplaceAll(leakAPIKeyID, "-", ""), leakAPIKeyID + "/x", secHash[:63], secHash + "0", secHash[:62] + "zz",
		secHash + "?x=1", secHash + "/rotate", strings.ToUpper(secHash), "deleted:" + secHash} {
		for op, call := range calls(id) {
			var ve *aistats.ValidationError
			if assert.ErrorAs(t, call(), &ve, "%s(%q)", op, id) {
				assert.Equal(t, "id", ve.Field)
			}
		}
	}
	require.Empty(t, got, "no request for an invalid id")
	for _, id := range []string{leakAPIKeyID, strings.ToUpper(leakAPIKeyID), secHash, "deleted:" + leakAPIKeyID} {
		for op, call := range calls(id) {
			require.NoError(t, call(), "%s(%q)", op, id)
			want := secAPIKeysPath + "/" + id + "?"
			if op == "Rotate" {
				want = secAPIKeysPath + "/" + id + "/rotate?"
			}
			assert.Equal(t, want, <-got, "%s(%q)", op, id)
		}
	}
}
