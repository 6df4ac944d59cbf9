package aistatstest

import (
	"context"
	"iter"

	"github.com/ai-stats/aistats-go"
)

// APIKeysStub implements aistats.APIKeysAPI for code that takes the
// interface. Each Func field, when set, serves its method; Fallback
// serves the methods left nil, for example client.APIKeys from NewClient;
// with neither, the method returns an error wrapping ErrNotStubbed that
// names the stub and the method (iterators yield it once). It never
// panics, a nil *APIKeysStub included. Make one call fail in one line:
//
//	stub := &aistatstest.APIKeysStub{Fallback: client.APIKeys, CreateFunc: func(context.Context, *aistats.CreateAPIKeyParams) (*aistats.CreatedAPIKey, error) { return nil, boom }}
//
// Each method is served on its own: All and Pages do not go through
// ListFunc (with a Fallback they page through Fallback's List); set
// AllFunc or PagesFunc to change what a walk yields. Set the fields before
// sharing the stub; it is then safe for concurrent use if its functions
// are.
type APIKeysStub struct {
	Fallback   aistats.APIKeysAPI
	ListFunc   func(ctx context.Context, opts *aistats.ListAPIKeysOptions) (*aistats.APIKeyPage, error)
	AllFunc    func(ctx context.Context, opts *aistats.ListAPIKeysOptions) iter.Seq2[*aistats.APIKey, error]
	PagesFunc  func(ctx context.Context, opts *aistats.ListAPIKeysOptions) iter.Seq2[*aistats.APIKeyPage, error]
	CreateFunc func(ctx context.Context, params *aistats.CreateAPIKeyParams) (*aistats.CreatedAPIKey, error)
	GetFunc    func(ctx context.Context, idOrHash string) (*aistats.APIKey, error)
	UpdateFunc func(ctx context.Context, id string, params *aistats.UpdateAPIKeyParams) (*aistats.APIKey, error)
	DeleteFunc func(ctx context.Context, id string) error
	RotateFunc func(ctx context.Context, id string, params *aistats.RotateAPIKeyParams) (*aistats.RotatedAPIKey, error)
}

var _ aistats.APIKeysAPI = (*APIKeysStub)(nil)

// or is the stub itself, or an empty one for a nil pointer.
func (s *APIKeysStub) or() *APIKeysStub {
	if s == nil {
		return &APIKeysStub{}
	}
	return s
}

const apiKeysStub = "APIKeysStub"

// List calls ListFunc, else Fallback.List.
func (s *APIKeysStub) List(ctx context.Context, opts *aistats.ListAPIKeysOptions) (*aistats.APIKeyPage, error) {
	if s = s.or(); s.ListFunc != nil {
		return s.ListFunc(ctx, opts)
	} else if s.Fallback != nil {
		return s.Fallback.List(ctx, opts)
	}
	return nil, notStubbed(apiKeysStub, "List")
}

// All calls AllFunc, else Fallback.All.
func (s *APIKeysStub) All(ctx context.Context, opts *aistats.ListAPIKeysOptions) iter.Seq2[*aistats.APIKey, error] {
	if s = s.or(); s.AllFunc != nil {
		return s.AllFunc(ctx, opts)
	} else if s.Fallback != nil {
		return s.Fallback.All(ctx, opts)
	}
	return failing[*aistats.APIKey](notStubbed(apiKeysStub, "All"))
}

// Pages calls PagesFunc, else Fallback.Pages.
func (s *APIKeysStub) Pages(ctx context.Context, opts *aistats.ListAPIKeysOptions) iter.Seq2[*aistats.APIKeyPage, error] {
	if s = s.or(); s.PagesFunc != nil {
		return s.PagesFunc(ctx, opts)
	} else if s.Fallback != nil {
		return s.Fallback.Pages(ctx, opts)
	}
	return failing[*aistats.APIKeyPage](notStubbed(apiKeysStub, "Pages"))
}

// Create calls CreateFunc, else Fallback.Create.
func (s *APIKeysStub) Create(ctx context.Context, params *aistats.CreateAPIKeyParams) (*aistats.CreatedAPIKey, error) {
	if s = s.or(); s.CreateFunc != nil {
		return s.CreateFunc(ctx, params)
	} else if s.Fallback != nil {
		return s.Fallback.Create(ctx, params)
	}
	return nil, notStubbed(apiKeysStub, "Create")
}

// Get calls GetFunc, else Fallback.Get.
func (s *APIKeysStub) Get(ctx context.Context, idOrHash string) (*aistats.APIKey, error) {
	if s = s.or(); s.GetFunc != nil {
		return s.GetFunc(ctx, idOrHash)
	} else if s.Fallback != nil {
		return s.Fallback.Get(ctx, idOrHash)
	}
	return nil, notStubbed(apiKeysStub, "Get")
}

// Update calls UpdateFunc, else Fallback.Update.
func (s *APIKeysStub) Update(ctx context.Context, id string, params *aistats.UpdateAPIKeyParams) (*aistats.APIKey, error) {
	if s = s.or(); s.UpdateFunc != nil {
		return s.UpdateFunc(ctx, id, params)
	} else if s.Fallback != nil {
		return s.Fallback.Update(ctx, id, params)
	}
	return nil, notStubbed(apiKeysStub, "Update")
}

// Delete calls DeleteFunc, else Fallback.Delete.
func (s *APIKeysStub) Delete(ctx context.Context, id string) error {
	if s = s.or(); s.DeleteFunc != nil {
		return s.DeleteFunc(ctx, id)
	} else if s.Fallback != nil {
		return s.Fallback.Delete(ctx, id)
	}
	return notStubbed(apiKeysStub, "Delete")
}

// Rotate calls RotateFunc, else Fallback.Rotate.
func (s *APIKeysStub) Rotate(ctx context.Context, id string, params *aistats.RotateAPIKeyParams) (*aistats.RotatedAPIKey, error) {
	if s = s.or(); s.RotateFunc != nil {
		return s.RotateFunc(ctx, id, params)
	} else if s.Fallback != nil {
		return s.Fallback.Rotate(ctx, id, params)
	}
	return nil, notStubbed(apiKeysStub, "Rotate")
}
