package aistats_test

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// infoRecorder is a caller's RoundTripper (given with WithHTTPClient) that
// records the CallInfo of every request it carries.
type infoRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	seen []seenInfo
}

type seenInfo struct {
	info aistats.CallInfo
	ok   bool
	path string // the request's path as sent
}

func (r *infoRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	info, ok := aistats.CallInfoFromContext(req.Context())
	r.mu.Lock()
	r.seen = append(r.seen, seenInfo{info, ok, req.URL.EscapedPath()})
	r.mu.Unlock()
	return r.base.RoundTrip(req)
}

func (r *infoRecorder) take() []seenInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.seen
	r.seen = nil
	return out
}

func recordingClient(t *testing.T, srv *aistatstest.Server, opts ...aistats.Option) (*aistats.Client, *infoRecorder) {
	rec := &infoRecorder{base: srv.HTTPClient().Transport}
	return fakeClient(t, srv, append([]aistats.Option{aistats.WithHTTPClient(&http.Client{Transport: rec})}, opts...)...), rec
}

// wantInfo is one request a call sends: operation, method, URL template.
type wantInfo struct{ op, method, tmpl string }

func TestCallInfoEveryCall(t *testing.T) {
	for _, v := range bothVersions {
		keys := "/v1/management-keys"
		if v == march {
			keys = "/v1/management/keys"
		}
		key := keys + "/{id}"
		update := []wantInfo{{"Keys.Update", "PATCH", key}}
		if v == march { // the server answers without the key: Update reads it back
			update = append(update, wantInfo{"Keys.Update", "GET", key})
		}
		type call struct {
			name string
			run  func(ctx context.Context, c *aistats.Client, id string) error
			want []wantInfo
		}
		calls := []call{
			{"Keys.List", func(ctx context.Context, c *aistats.Client, _ string) error { return errOnly(c.Keys.List(ctx, nil)) },
				[]wantInfo{{"Keys.List", "GET", keys}}},
			{"Keys.All", func(ctx context.Context, c *aistats.Client, _ string) error { return drain(c.Keys.All(ctx, nil)) },
				[]wantInfo{{"Keys.List", "GET", keys}}},
			{"Keys.Pages", func(ctx context.Context, c *aistats.Client, _ string) error { return drain(c.Keys.Pages(ctx, nil)) }, []wantInfo{{"Keys.List", "GET", keys}}},
			{"Keys.Create", func(ctx context.Context, c *aistats.Client, _ string) error {
				return errOnly(c.Keys.Create(ctx, createKeyParams(v, "new")))
			}, []wantInfo{{"Keys.Create", "POST", keys}}},
			{"Keys.Get", func(ctx context.Context, c *aistats.Client, id string) error { return errOnly(c.Keys.Get(ctx, id)) },
				[]wantInfo{{"Keys.Get", "GET", key}}},
			{"Keys.Update", func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnly(c.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Name: aistats.Ptr("renamed")}))
			}, update},
			{"Keys.Delete", func(ctx context.Context, c *aistats.Client, id string) error { return c.Keys.Delete(ctx, id) },
				[]wantInfo{{"Keys.Delete", "DELETE", key}}},
		}
		apiCalls := []call{
			{"APIKeys.List", func(ctx context.Context, c *aistats.Client, _ string) error {
				return errOnly(c.APIKeys.List(ctx, nil))
			},
				[]wantInfo{{"APIKeys.List", "GET", "/v1/keys"}}},
			{"APIKeys.All", func(ctx context.Context, c *aistats.Client, _ string) error { return drain(c.APIKeys.All(ctx, nil)) }, []wantInfo{{"APIKeys.List", "GET", "/v1/keys"}}},
			{"APIKeys.Pages", func(ctx context.Context, c *aistats.Client, _ string) error { return drain(c.APIKeys.Pages(ctx, nil)) }, []wantInfo{{"APIKeys.List", "GET", "/v1/keys"}}},
			{"APIKeys.Create", func(ctx context.Context, c *aistats.Client, _ string) error {
				return errOnly(c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "new"}))
			}, []wantInfo{{"APIKeys.Create", "POST", "/v1/keys"}}},
			{"APIKeys.Get", func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnly(c.APIKeys.Get(ctx, id))
			},
				[]wantInfo{{"APIKeys.Get", "GET", "/v1/keys/{id}"}}},
			{"APIKeys.Update", func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnly(c.APIKeys.Update(ctx, id, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("renamed")}))
			}, []wantInfo{{"APIKeys.Update", "PATCH", "/v1/keys/{id}"}}},
			{"APIKeys.Rotate", func(ctx context.Context, c *aistats.Client, id string) error {
				return errOnly(c.APIKeys.Rotate(ctx, id, nil))
			}, []wantInfo{{"APIKeys.Rotate", "POST", "/v1/keys/{id}/rotate"}}},
			{"APIKeys.Delete", func(ctx context.Context, c *aistats.Client, id string) error { return c.APIKeys.Delete(ctx, id) },
				[]wantInfo{{"APIKeys.Delete", "DELETE", "/v1/keys/{id}"}}},
		}
		srv := newFake(t, v)
		c, rec := recordingClient(t, srv)
		for _, cl := range calls {
			t.Run(string(v)+"/"+cl.name, func(t *testing.T) {
				id := srv.AddKey(aistatstest.KeySpec{Name: "k"}).ID
				require.NoError(t, cl.run(context.Background(), c, id))
				checkInfos(t, rec.take(), cl.want, id)
			})
		}
		for _, cl := range apiCalls {
			t.Run(string(v)+"/"+cl.name, func(t *testing.T) {
				if v == march {
					err := cl.run(context.Background(), c, "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40")
					require.ErrorIs(t, err, errors.ErrUnsupported)
					assert.Empty(t, rec.take(), "nothing is sent on 2026-03")
					return
				}
				id := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "k"}).ID
				require.NoError(t, cl.run(context.Background(), c, id))
				checkInfos(t, rec.take(), cl.want, id)
			})
		}
	}
}

// drain ranges over a walk to its end, returning its first error.
func drain[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkInfos compares the recorded requests with want: each has a
// CallInfo for attempt 1, whose template holds no id and, with the id
// filled in, is the path that was sent.
func checkInfos(t *testing.T, got []seenInfo, want []wantInfo, id string) {
	t.Helper()
	require.Len(t, got, len(want))
	for i, w := range want {
		g := got[i]
		require.True(t, g.ok, "request %d has no CallInfo", i)
		assert.Equal(t, aistats.CallInfo{Operation: w.op, Method: w.method, URLTemplate: w.tmpl, Attempt: 1}, g.info)
		assert.NotContains(t, g.info.URLTemplate, id)
		assert.Equal(t, g.path, strings.Replace(g.info.URLTemplate, "{id}", id, 1))
	}
}

func TestCallInfoAttemptsCount(t *testing.T) {
	srv := newFake(t, july)
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Status: http.StatusServiceUnavailable, Times: 2})
	c, rec := recordingClient(t, srv)
	id := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "k"}).ID
	_, err := c.APIKeys.Get(context.Background(), id)
	require.NoError(t, err)
	got := rec.take()
	require.Len(t, got, 3)
	for i, g := range got {
		require.True(t, g.ok)
		assert.Equal(t, i+1, g.info.Attempt, "attempt "+strconv.Itoa(i+1))
		assert.Equal(t, "APIKeys.Get", g.info.Operation)
	}
}

func TestCallInfoFromContextOutsideTheSDK(t *testing.T) {
	_, ok := aistats.CallInfoFromContext(context.Background())
	assert.False(t, ok)
	//lint:ignore SA1012 a nil context is the bad input under test
	_, ok = aistats.CallInfoFromContext(nil)
	assert.False(t, ok)
	// A caller's context with call options is not a request's context.
	_, ok = aistats.CallInfoFromContext(aistats.WithCallOptions(context.Background(), aistats.CallMaxRetries(1)))
	assert.False(t, ok)
}
