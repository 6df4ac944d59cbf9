package aistatstest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newClient(t *testing.T, opts ...aistats.Option) (*aistatstest.Server, *aistats.Client) {
	t.Helper()
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	t.Cleanup(srv.Close)
	c, err := srv.Client(opts...)
	require.NoError(t, err)
	return srv, c
}

func TestClientRoundTrip(t *testing.T) {
	srv, c := newClient(t)
	ctx := context.Background()

	created, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "CI", Scopes: aistats.Scopes{"read", "write"}})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(created.Secret.Reveal(), "aistats_v1_sk_"+created.Prefix))
	stored, ok := srv.Key(created.ID)
	require.True(t, ok)
	assert.Equal(t, aistats.Scopes{"read", "write"}, stored.Scopes)

	page, err := c.Keys.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Keys, 1)
	assert.Equal(t, created.ID, page.Keys[0].ID)
	assert.Equal(t, 50, page.Limit)
	assert.Equal(t, 1, page.Total)

	got, err := c.Keys.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, srv.TeamID, got.TeamID)
	assert.Equal(t, srv.OwnerID, got.CreatedBy)

	updated, err := c.Keys.Update(ctx, created.ID, &aistats.UpdateKeyParams{Status: aistats.Ptr(aistats.KeyStatusDisabled)})
	require.NoError(t, err)
	assert.Equal(t, aistats.KeyStatusDisabled, updated.Status)

	require.NoError(t, c.Keys.Delete(ctx, created.ID))
	assert.Empty(t, srv.Keys())
	_, err = c.Keys.Get(ctx, created.ID)
	assert.ErrorIs(t, err, aistats.ErrNotFound)

	for _, r := range srv.Requests() {
		assert.Equal(t, aistatstest.Redacted, r.Header.Get("Authorization"), "%s %s", r.Method, r.Path)
	}
}

func TestClientRetriesThroughInjectedFaults(t *testing.T) {
	srv, c := newClient(t)
	srv.SeedKeys(2)
	srv.Inject(aistatstest.ServiceUnavailable(1))
	srv.Inject(aistatstest.BadGatewayHTML(1))

	page, err := c.Keys.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, page.Keys, 2)
	var faults []string
	for _, r := range srv.Requests() {
		faults = append(faults, r.Fault)
	}
	assert.Equal(t, []string{"respond 503", "respond 502", ""}, faults)
}

func TestClientOptionsWin(t *testing.T) {
	srv, c := newClient(t, aistats.WithMaxRetries(0))
	srv.Inject(aistatstest.ServiceUnavailable(1))
	_, err := c.Keys.List(context.Background(), nil)
	require.ErrorIs(t, err, aistats.ErrServer)
	var apiErr *aistats.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.Equal(t, 1, srv.RequestCount(), "WithMaxRetries(0) replaced the default")
}

func TestClientSeesTruncatedBody(t *testing.T) {
	srv, c := newClient(t, aistats.WithMaxRetries(0))
	key := srv.AddKey(aistatstest.KeySpec{Name: "a"})
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Truncate, Times: -1})
	_, err := c.Keys.Get(context.Background(), key.ID)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, 1, srv.RequestCount())
}
