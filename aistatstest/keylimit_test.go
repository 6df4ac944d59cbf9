package aistatstest_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireKeyLimit checks the live server's answer to a create over the
// limit, as the SDK reports a 500 after a mint.
func requireKeyLimit(t *testing.T, err error) {
	t.Helper()
	var apiErr *aistats.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, "internal_error", apiErr.Code)
	assert.True(t, errors.Is(err, aistats.ErrUnknownOutcome), "a 500 after a create: %v", err)
}

func TestKeyLimitDefaultIsTheLiveServers(t *testing.T) {
	t.Parallel()
	client, srv := aistatstest.NewClient(t)
	srv.SeedKeys(40) // management keys count too, with the server's own credential
	old := srv.SeedAPIKeys(58)
	require.Equal(t, aistatstest.DefaultKeyLimit-1, len(srv.Keys())+len(srv.APIKeys()))

	last, err := client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "the 100th"})
	require.NoError(t, err)

	_, err = client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "the 101st"})
	requireKeyLimit(t, err)
	_, err = client.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "mk", Template: aistats.KeyTemplateReadOnly})
	requireKeyLimit(t, err)
	_, err = client.APIKeys.Rotate(ctx, old[0].ID, nil)
	requireKeyLimit(t, err)
	assert.Len(t, srv.APIKeys(), 59, "nothing was created")

	require.NoError(t, client.APIKeys.Delete(ctx, last.ID)) // deleted keys do not count
	_, err = client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "room again"})
	require.NoError(t, err)
}

func TestKeyLimitSeedingIsExempt(t *testing.T) {
	t.Parallel()
	client, srv := aistatstest.NewClient(t)
	srv.SeedAPIKeys(300)
	srv.AddAPIKey(aistatstest.APIKeySpec{Name: "added"})
	srv.AddKey(aistatstest.KeySpec{Name: "added"})
	n := 0
	for _, err := range client.APIKeys.All(ctx, nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 301, n)
	_, err := client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "over"})
	requireKeyLimit(t, err)
}

func TestKeyLimitOption(t *testing.T) {
	t.Parallel()
	t.Run("lifts", func(t *testing.T) {
		t.Parallel()
		client, srv := aistatstest.NewClient(t, aistatstest.WithKeyLimit(1000))
		srv.SeedAPIKeys(300)
		_, err := client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "fits"})
		require.NoError(t, err)
	})
	t.Run("lowers", func(t *testing.T) {
		t.Parallel()
		client, _ := aistatstest.NewClient(t, aistatstest.WithKeyLimit(2)) // the server's own key + 1
		_, err := client.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "second", Template: aistats.KeyTemplateReadOnly})
		require.NoError(t, err)
		_, err = client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "third"})
		requireKeyLimit(t, err)
	})
	t.Run("2026-03 had no limit", func(t *testing.T) {
		t.Parallel()
		client, srv := aistatstest.NewClient(t, aistatstest.WithAPIVersion(aistats.APIVersionMarch2026))
		srv.SeedKeys(150)
		_, err := client.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "151st"})
		require.NoError(t, err)
	})
}
