package aistats

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/google/go-querystring/query"
)

// KeysService manages management keys, the credentials of this API:
// c.Keys on a Client. Its methods work on both API versions; the version
// decides the paths and which fields each call accepts.
type KeysService struct {
	client *Client
}

// KeysAPI is the set of KeysService methods, for callers who fake the SDK
// at the interface level in their own tests.
type KeysAPI interface {
	List(ctx context.Context, opts *ListKeysOptions) (*KeyPage, error)
	All(ctx context.Context, opts *ListKeysOptions) iter.Seq2[*Key, error]
	Pages(ctx context.Context, opts *ListKeysOptions) iter.Seq2[*KeyPage, error]
	Create(ctx context.Context, params *CreateKeyParams) (*CreatedKey, error)
	Get(ctx context.Context, id string) (*Key, error)
	Update(ctx context.Context, id string, params *UpdateKeyParams) (*Key, error)
	Delete(ctx context.Context, id string) error
}

var _ KeysAPI = (*KeysService)(nil)

// ready returns the client, or errNotInitialised for a KeysService that
// NewClient did not make.
func (s *KeysService) ready() (*Client, error) {
	if s == nil || s.client == nil || s.client.rc == nil {
		return nil, errNotInitialised
	}
	return s.client, nil
}

// List returns one page of keys, newest first. A nil opts asks for the
// server's default page. Limit above MaxPageSize is clamped before sending.
func (s *KeysService) List(ctx context.Context, opts *ListKeysOptions) (*KeyPage, error) {
	c, err := s.ready()
	if err != nil {
		return nil, err
	}
	var o ListKeysOptions
	if opts != nil {
		o = *opts
	}
	if err := checkWindow(o.Limit, o.Offset); err != nil {
		return nil, err
	}
	if err := c.dialect.checkListKeys(&o); err != nil {
		return nil, err
	}
	o.Limit = min(o.Limit, MaxPageSize)
	q, err := query.Values(o)
	if err != nil {
		return nil, fmt.Errorf("aistats: encoding list options: %w", err)
	}
	return fetch(ctx, c, request{op: "Keys.List", method: http.MethodGet, route: routeKeys, path: c.dialect.keysPath(), query: q.Encode()},
		func(b []byte) (*KeyPage, error) {
			page := &KeyPage{opts: o}
			return page, c.dialect.decodeKeyPage(b, page)
		})
}

// checkWindow validates the paging fields every list call shares.
func checkWindow(limit, offset int) error {
	if limit < 0 {
		return &ValidationError{Field: "Limit", Problem: fmt.Sprintf("is %d; want 0 (server default) or more", limit)}
	}
	if offset < 0 {
		return &ValidationError{Field: "Offset", Problem: fmt.Sprintf("is %d; want 0 or more", offset)}
	}
	return nil
}

// Create makes a management key and returns it with its one-time plaintext
// in CreatedKey.Secret.
//
// Create is never retried once the request may have reached the server:
// the API has no idempotency keys, and a second attempt would mint a second
// live key. On a timeout, reset or 5xx the error matches ErrUnknownOutcome
// and a key may exist: list keys before trying again.
//
// If the key was created and its plaintext read but another part of the
// answer was not understood, Create returns the key (ID and Secret set)
// together with a *DecodeError whose KeyCreated is true: keep the secret.
func (s *KeysService) Create(ctx context.Context, params *CreateKeyParams) (*CreatedKey, error) {
	c, err := s.ready()
	if err != nil {
		return nil, err
	}
	body, err := c.dialect.createKeyBody(params)
	if err != nil {
		return nil, err
	}
	return fetch(ctx, c, request{op: "Keys.Create", method: http.MethodPost, route: routeKeys, path: c.dialect.keysPath(), body: body, mint: "create"},
		c.dialect.decodeCreatedKey)
}

// Get returns one key. On 2026-03 it includes TeamID, CreatedBy and
// SoftBlocked, which List does not return.
func (s *KeysService) Get(ctx context.Context, id string) (*Key, error) {
	c, err := s.ready()
	if err != nil {
		return nil, err
	}
	p, err := managementKeyPath(c.dialect, id)
	if err != nil {
		return nil, err
	}
	return s.getPath(ctx, c, "Keys.Get", p)
}

// getPath reads a key; op is the call it serves (Get, or Update's read-back).
func (s *KeysService) getPath(ctx context.Context, c *Client, op, p string) (*Key, error) {
	return fetch(ctx, c, request{op: op, method: http.MethodGet, route: routeKey, path: p}, c.dialect.decodeKey)
}

// Update changes the fields set in params and returns the key as stored.
// Update sends absolute values, so it is retried like a read. On 2026-03
// the server answers without the key, so Update reads it back with a Get
// (one more request).
func (s *KeysService) Update(ctx context.Context, id string, params *UpdateKeyParams) (*Key, error) {
	c, err := s.ready()
	if err != nil {
		return nil, err
	}
	p, err := managementKeyPath(c.dialect, id)
	if err != nil {
		return nil, err
	}
	body, err := c.dialect.updateKeyBody(params)
	if err != nil {
		return nil, err
	}
	out, err := fetch(ctx, c, request{op: "Keys.Update", method: http.MethodPatch, route: routeKey, path: p, body: body}, c.dialect.decodeUpdatedKey)
	if err != nil || out != nil {
		return out, err
	}
	return s.getPath(ctx, c, "Keys.Update", p)
}

// Delete removes a management key for good. It is retried on transient
// failures; if an attempt may have deleted the key and a retry then answers
// 404, Delete returns nil (the key is gone). Deleting a key that does not
// exist is ErrNotFound. Any 2xx answer is a success, whatever its body.
func (s *KeysService) Delete(ctx context.Context, id string) error {
	c, err := s.ready()
	if err != nil {
		return err
	}
	p, err := managementKeyPath(c.dialect, id)
	if err != nil {
		return err
	}
	return c.do(ctx, request{op: "Keys.Delete", method: http.MethodDelete, route: routeKey, path: p, goneOn404: true}, nil)
}
