package aistatstest_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stubCall is one method of a stub, called with harmless arguments; it
// reports whether it returned a non-nil value and the error.
type stubCall struct {
	method string
	call   func() (bool, error)
}

// firstOf is the first pair an iterator yields.
func firstOf[T any](seq func(func(*T, error) bool)) (bool, error) {
	var (
		got   *T
		err   error
		count int
	)
	for v, e := range seq {
		got, err = v, e
		count++
	}
	if count != 1 {
		return true, errors.New("want exactly one yield")
	}
	return got != nil, err
}

// service is what the two key interfaces share, so one table serves both.
type service[O, P, K any] interface {
	List(ctx context.Context, opts *O) (*P, error)
	All(ctx context.Context, opts *O) iter.Seq2[*K, error]
	Pages(ctx context.Context, opts *O) iter.Seq2[*P, error]
	Get(ctx context.Context, id string) (*K, error)
	Delete(ctx context.Context, id string) error
}

const stubID = "0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21"

func sharedCalls[O, P, K any](s service[O, P, K]) []stubCall {
	return []stubCall{
		{"List", func() (bool, error) { p, err := s.List(ctx, nil); return p != nil, err }},
		{"All", func() (bool, error) { return firstOf(s.All(ctx, nil)) }},
		{"Pages", func() (bool, error) { return firstOf(s.Pages(ctx, nil)) }},
		{"Get", func() (bool, error) { k, err := s.Get(ctx, stubID); return k != nil, err }},
		{"Delete", func() (bool, error) { return false, s.Delete(ctx, stubID) }},
	}
}

func apiKeysStubCalls(s aistats.APIKeysAPI) []stubCall {
	return append(sharedCalls[aistats.ListAPIKeysOptions, aistats.APIKeyPage, aistats.APIKey](s),
		stubCall{"Create", func() (bool, error) {
			k, err := s.Create(ctx, &aistats.CreateAPIKeyParams{Name: "x"})
			return k != nil, err
		}},
		stubCall{"Update", func() (bool, error) {
			k, err := s.Update(ctx, stubID, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("y")})
			return k != nil, err
		}},
		stubCall{"Rotate", func() (bool, error) { k, err := s.Rotate(ctx, stubID, nil); return k != nil, err }},
	)
}

func keysStubCalls(s aistats.KeysAPI) []stubCall {
	return append(sharedCalls[aistats.ListKeysOptions, aistats.KeyPage, aistats.Key](s),
		stubCall{"Create", func() (bool, error) {
			k, err := s.Create(ctx, &aistats.CreateKeyParams{Name: "x", Template: aistats.KeyTemplateReadOnly})
			return k != nil, err
		}},
		stubCall{"Update", func() (bool, error) {
			k, err := s.Update(ctx, stubID, &aistats.UpdateKeyParams{Name: aistats.Ptr("y")})
			return k != nil, err
		}},
	)
}

// A stub with neither a Func nor a Fallback fails every call with an error
// naming itself and the method; never a panic, never a value.
func TestStubWithoutFallback(t *testing.T) {
	t.Parallel()
	for name, calls := range map[string][]stubCall{
		"APIKeysStub":     apiKeysStubCalls(&aistatstest.APIKeysStub{}),
		"nil APIKeysStub": apiKeysStubCalls((*aistatstest.APIKeysStub)(nil)),
		"KeysStub":        keysStubCalls(&aistatstest.KeysStub{}),
		"nil KeysStub":    keysStubCalls((*aistatstest.KeysStub)(nil)),
	} {
		stub := strings.TrimPrefix(name, "nil ")
		for _, c := range calls {
			var (
				got bool
				err error
			)
			require.NotPanics(t, func() { got, err = c.call() }, "%s.%s", name, c.method)
			assert.False(t, got, "%s.%s returned a value", name, c.method)
			require.ErrorIs(t, err, aistatstest.ErrNotStubbed, "%s.%s", name, c.method)
			assert.Contains(t, err.Error(), stub+"."+c.method)
			assert.Contains(t, err.Error(), c.method+"Func or Fallback")
		}
	}
}

// With a Fallback, the methods left nil reach it, and the Func fields win.
func TestStubWithFallback(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	for _, v := range []aistats.APIVersion{aistats.APIVersionJuly2026, aistats.APIVersionMarch2026} {
		client, srv := aistatstest.NewClient(t, aistatstest.WithAPIVersion(v))
		keys := &aistatstest.KeysStub{Fallback: client.Keys, CreateFunc: func(context.Context, *aistats.CreateKeyParams) (*aistats.CreatedKey, error) {
			return nil, boom
		}}
		_, err := keys.Create(ctx, &aistats.CreateKeyParams{Name: "x"})
		require.ErrorIs(t, err, boom)
		seeded := srv.SeedKeys(1)[0]
		got, err := keys.Get(ctx, seeded.ID)
		require.NoError(t, err, v)
		assert.Equal(t, seeded.Name, got.Name)
		for _, c := range keysStubCalls(keys) {
			_, err := c.call()
			assert.NotErrorIs(t, err, aistatstest.ErrNotStubbed, "%s reaches the fallback", c.method)
		}
	}

	client, srv := aistatstest.NewClient(t)
	calls := 0
	stub := &aistatstest.APIKeysStub{Fallback: client.APIKeys, RotateFunc: func(_ context.Context, id string, _ *aistats.RotateAPIKeyParams) (*aistats.RotatedAPIKey, error) {
		calls++
		return nil, boom
	}}
	seeded := srv.SeedAPIKeys(1)[0]
	_, err := stub.Rotate(ctx, seeded.ID, nil)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 1, calls)
	for _, c := range apiKeysStubCalls(stub) {
		_, err := c.call()
		assert.NotErrorIs(t, err, aistatstest.ErrNotStubbed, "%s reaches the fallback", c.method)
	}
	got, err := stub.Get(ctx, seeded.ID)
	require.NoError(t, err)
	assert.Equal(t, seeded, *got)
}

// Every Func field serves its own method, even with a Fallback set.
func TestStubFuncsWin(t *testing.T) {
	t.Parallel()
	mine := errors.New("mine")
	apiKeys := &aistatstest.APIKeysStub{
		Fallback: &aistatstest.APIKeysStub{},
		ListFunc: func(context.Context, *aistats.ListAPIKeysOptions) (*aistats.APIKeyPage, error) { return nil, mine },
		AllFunc: func(context.Context, *aistats.ListAPIKeysOptions) iter.Seq2[*aistats.APIKey, error] {
			return pageErr[aistats.APIKey](mine)
		},
		PagesFunc: func(context.Context, *aistats.ListAPIKeysOptions) iter.Seq2[*aistats.APIKeyPage, error] {
			return pageErr[aistats.APIKeyPage](mine)
		},
		CreateFunc: func(context.Context, *aistats.CreateAPIKeyParams) (*aistats.CreatedAPIKey, error) { return nil, mine },
		GetFunc:    func(context.Context, string) (*aistats.APIKey, error) { return nil, mine },
		UpdateFunc: func(context.Context, string, *aistats.UpdateAPIKeyParams) (*aistats.APIKey, error) { return nil, mine },
		DeleteFunc: func(context.Context, string) error { return mine },
		RotateFunc: func(context.Context, string, *aistats.RotateAPIKeyParams) (*aistats.RotatedAPIKey, error) {
			return nil, mine
		},
	}
	keys := &aistatstest.KeysStub{
		Fallback: &aistatstest.KeysStub{},
		ListFunc: func(context.Context, *aistats.ListKeysOptions) (*aistats.KeyPage, error) { return nil, mine },
		AllFunc: func(context.Context, *aistats.ListKeysOptions) iter.Seq2[*aistats.Key, error] {
			return pageErr[aistats.Key](mine)
		},
		PagesFunc: func(context.Context, *aistats.ListKeysOptions) iter.Seq2[*aistats.KeyPage, error] {
			return pageErr[aistats.KeyPage](mine)
		},
		CreateFunc: func(context.Context, *aistats.CreateKeyParams) (*aistats.CreatedKey, error) { return nil, mine },
		GetFunc:    func(context.Context, string) (*aistats.Key, error) { return nil, mine },
		UpdateFunc: func(context.Context, string, *aistats.UpdateKeyParams) (*aistats.Key, error) { return nil, mine },
		DeleteFunc: func(context.Context, string) error { return mine },
	}
	for _, c := range append(apiKeysStubCalls(apiKeys), keysStubCalls(keys)...) {
		_, err := c.call()
		assert.ErrorIs(t, err, mine, c.method)
	}
}

func pageErr[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
