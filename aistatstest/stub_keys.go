package aistatstest

import (
	"context"
	"iter"

	"github.com/ai-stats/aistats-go"
)

// KeysStub implements aistats.KeysAPI (management keys) the way
// APIKeysStub implements aistats.APIKeysAPI: each Func field, when set,
// serves its method; Fallback serves the rest; with neither, the method
// returns an error wrapping ErrNotStubbed that names KeysStub and the
// method. It never panics, a nil *KeysStub included. As on APIKeysStub,
// All and Pages do not go through ListFunc: set AllFunc or PagesFunc to
// change what a walk yields.
type KeysStub struct {
	Fallback   aistats.KeysAPI
	ListFunc   func(ctx context.Context, opts *aistats.ListKeysOptions) (*aistats.KeyPage, error)
	AllFunc    func(ctx context.Context, opts *aistats.ListKeysOptions) iter.Seq2[*aistats.Key, error]
	PagesFunc  func(ctx context.Context, opts *aistats.ListKeysOptions) iter.Seq2[*aistats.KeyPage, error]
	CreateFunc func(ctx context.Context, params *aistats.CreateKeyParams) (*aistats.CreatedKey, error)
	GetFunc    func(ctx context.Context, id string) (*aistats.Key, error)
	UpdateFunc func(ctx context.Context, id string, params *aistats.UpdateKeyParams) (*aistats.Key, error)
	DeleteFunc func(ctx context.Context, id string) error
}

var _ aistats.KeysAPI = (*KeysStub)(nil)

func (s *KeysStub) or() *KeysStub {
	if s == nil {
		return &KeysStub{}
	}
	return s
}

const keysStub = "KeysStub"

// List calls ListFunc, else Fallback.List.
func (s *KeysStub) List(ctx context.Context, opts *aistats.ListKeysOptions) (*aistats.KeyPage, error) {
	if s = s.or(); s.ListFunc != nil {
		return s.ListFunc(ctx, opts)
	} else if s.Fallback != nil {
		return s.Fallback.List(ctx, opts)
	}
	return nil, notStubbed(keysStub, "List")
}

// All calls AllFunc, else Fallback.All.
func (s *KeysStub) All(ctx context.Context, opts *aistats.ListKeysOptions) iter.Seq2[*aistats.Key, error] {
	if s = s.or(); s.AllFunc != nil {
		return s.AllFunc(ctx, opts)
	} else if s.Fallback != nil {
		return s.Fallback.All(ctx, opts)
	}
	return failing[*aistats.Key](notStubbed(keysStub, "All"))
}

// Pages calls PagesFunc, else Fallback.Pages.
func (s *KeysStub) Pages(ctx context.Context, opts *aistats.ListKeysOptions) iter.Seq2[*aistats.KeyPage, error] {
	if s = s.or(); s.PagesFunc != nil {
		return s.PagesFunc(ctx, opts)
	} else if s.Fallback != nil {
		return s.Fallback.Pages(ctx, opts)
	}
	return failing[*aistats.KeyPage](notStubbed(keysStub, "Pages"))
}

// Create calls CreateFunc, else Fallback.Create.
func (s *KeysStub) Create(ctx context.Context, params *aistats.CreateKeyParams) (*aistats.CreatedKey, error) {
	if s = s.or(); s.CreateFunc != nil {
		return s.CreateFunc(ctx, params)
	} else if s.Fallback != nil {
		return s.Fallback.Create(ctx, params)
	}
	return nil, notStubbed(keysStub, "Create")
}

// Get calls GetFunc, else Fallback.Get.
func (s *KeysStub) Get(ctx context.Context, id string) (*aistats.Key, error) {
	if s = s.or(); s.GetFunc != nil {
		return s.GetFunc(ctx, id)
	} else if s.Fallback != nil {
		return s.Fallback.Get(ctx, id)
	}
	return nil, notStubbed(keysStub, "Get")
}

// Update calls UpdateFunc, else Fallback.Update.
func (s *KeysStub) Update(ctx context.Context, id string, params *aistats.UpdateKeyParams) (*aistats.Key, error) {
	if s = s.or(); s.UpdateFunc != nil {
		return s.UpdateFunc(ctx, id, params)
	} else if s.Fallback != nil {
		return s.Fallback.Update(ctx, id, params)
	}
	return nil, notStubbed(keysStub, "Update")
}

// Delete calls DeleteFunc, else Fallback.Delete.
func (s *KeysStub) Delete(ctx context.Context, id string) error {
	if s = s.or(); s.DeleteFunc != nil {
		return s.DeleteFunc(ctx, id)
	} else if s.Fallback != nil {
		return s.Fallback.Delete(ctx, id)
	}
	return notStubbed(keysStub, "Delete")
}
