package aistats

import (
	"context"
	"errors"
	"iter"
)

// APIKeysService manages inference API keys: c.APIKeys on a Client. It
// needs API version 2026-07; on 2026-03 every method returns an error
// matching errors.ErrUnsupported before any request.
type APIKeysService struct {
	client *Client
}

// APIKeysAPI is the set of APIKeysService methods, for callers who fake the
// SDK at the interface level in their own tests.
type APIKeysAPI interface {
	List(ctx context.Context, opts *ListAPIKeysOptions) (*APIKeyPage, error)
	All(ctx context.Context, opts *ListAPIKeysOptions) iter.Seq2[*APIKey, error]
	Pages(ctx context.Context, opts *ListAPIKeysOptions) iter.Seq2[*APIKeyPage, error]
	Create(ctx context.Context, params *CreateAPIKeyParams) (*CreatedAPIKey, error)
	Get(ctx context.Context, idOrHash string) (*APIKey, error)
	Update(ctx context.Context, id string, params *UpdateAPIKeyParams) (*APIKey, error)
	Delete(ctx context.Context, id string) error
	Rotate(ctx context.Context, id string, params *RotateAPIKeyParams) (*RotatedAPIKey, error)
}

var _ APIKeysAPI = (*APIKeysService)(nil)

var errTODO = errors.ErrUnsupported

func (s *APIKeysService) List(ctx context.Context, opts *ListAPIKeysOptions) (*APIKeyPage, error) {
	return nil, errTODO
}
func (s *APIKeysService) All(ctx context.Context, opts *ListAPIKeysOptions) iter.Seq2[*APIKey, error] {
	return func(yield func(*APIKey, error) bool) { yield(nil, errTODO) }
}
func (s *APIKeysService) Pages(ctx context.Context, opts *ListAPIKeysOptions) iter.Seq2[*APIKeyPage, error] {
	return func(yield func(*APIKeyPage, error) bool) { yield(nil, errTODO) }
}
func (s *APIKeysService) Create(ctx context.Context, params *CreateAPIKeyParams) (*CreatedAPIKey, error) {
	return nil, errTODO
}
func (s *APIKeysService) Get(ctx context.Context, idOrHash string) (*APIKey, error) {
	return nil, errTODO
}
func (s *APIKeysService) Update(ctx context.Context, id string, params *UpdateAPIKeyParams) (*APIKey, error) {
	return nil, errTODO
}
func (s *APIKeysService) Delete(ctx context.Context, id string) error { return errTODO }
func (s *APIKeysService) Rotate(ctx context.Context, id string, params *RotateAPIKeyParams) (*RotatedAPIKey, error) {
	return nil, errTODO
}
