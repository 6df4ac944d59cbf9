package aistats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-querystring/query"
)

const keysPath = "/management/keys"

// KeysService manages API keys: c.Keys on a Client.
type KeysService struct {
	client *Client
}

// do guards against a KeysService that NewClient did not make.
func (s *KeysService) do(ctx context.Context, r request, decode func([]byte) error) error {
	if s == nil {
		return errNotInitialised
	}
	return s.client.do(ctx, r, decode)
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

// List returns one page of keys, newest first. A nil opts asks for the
// server's default page. Limit above MaxPageSize is clamped before sending.
func (s *KeysService) List(ctx context.Context, opts *ListKeysOptions) (*KeyPage, error) {
	var o ListKeysOptions
	if opts != nil {
		o = *opts
	}
	if o.Limit < 0 {
		return nil, &ValidationError{Field: "Limit", Problem: fmt.Sprintf("is %d; want 0 (server default) or more", o.Limit)}
	}
	if o.Offset < 0 {
		return nil, &ValidationError{Field: "Offset", Problem: fmt.Sprintf("is %d; want 0 or more", o.Offset)}
	}
	o.Limit = min(o.Limit, MaxPageSize)
	q, err := query.Values(o)
	if err != nil {
		return nil, fmt.Errorf("aistats: encoding list options: %w", err)
	}
	page := &KeyPage{opts: o}
	err = s.do(ctx, request{method: http.MethodGet, path: keysPath, query: q.Encode(), retryWritten: true},
		func(b []byte) error { return decodeList(b, page) })
	if err != nil {
		return nil, err
	}
	return page, nil
}

// listEnvelope covers {ok, keys, limit, offset, total} and the newer
// {data: [...], total_count}.
type listEnvelope struct {
	Keys       []wireKey `json:"keys"`
	Data       []wireKey `json:"data"`
	Limit      *int      `json:"limit"`
	Offset     *int      `json:"offset"`
	Total      *int      `json:"total"`
	TotalCount *int      `json:"total_count"`
}

func decodeList(b []byte, page *KeyPage) error {
	var env listEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	items := env.Keys
	if items == nil {
		items = env.Data
	}
	if items == nil && !hasField(b, "keys") && !hasField(b, "data") {
		return errors.New(`no "keys" or "data" array in the response`)
	}
	page.served = len(items)
	keys := make([]Key, len(items))
	page.Keys = make([]*Key, len(items))
	for i := range items {
		if err := items[i].toKey(&keys[i]); err != nil {
			return fmt.Errorf("key %d: %w", i, err)
		}
		page.Keys[i] = &keys[i]
	}
	// Fall back to what was asked when the server does not echo it.
	page.Limit, page.Offset = page.opts.Limit, page.opts.Offset
	if env.Limit != nil {
		page.Limit = *env.Limit
	}
	if env.Offset != nil {
		page.Offset = *env.Offset
	}
	switch {
	case env.Total != nil:
		page.Total = *env.Total
	case env.TotalCount != nil:
		page.Total = *env.TotalCount
	}
	return nil
}

// hasField reports whether a top-level JSON object has the given key, to
// tell an empty page ("keys": []) from a body of the wrong shape.
func hasField(b []byte, name string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	_, ok := m[name]
	return ok
}

// keyEnvelope covers {ok, key: {...}} and the newer {data: {...}}.
type keyEnvelope struct {
	Key  *wireKey `json:"key"`
	Data *wireKey `json:"data"`
}

func (e *keyEnvelope) key() *wireKey {
	if e.Key != nil {
		return e.Key
	}
	return e.Data
}

var errNoKey = errors.New(`no "key" or "data" object in the response`)

// Create makes a key and returns it with its one-time plaintext in
// CreatedKey.Secret. Create is never retried once the request may have
// reached the server: on a timeout, reset or 5xx the error matches
// ErrUnknownOutcome, and a key may exist; list keys before trying again.
func (s *KeysService) Create(ctx context.Context, params *CreateKeyParams) (*CreatedKey, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	var out *CreatedKey
	err := s.do(ctx, request{method: http.MethodPost, path: keysPath, body: params},
		func(b []byte) error {
			w, err := decodeKeyEnvelope(b)
			if err != nil {
				return err
			}
			if w == nil {
				return errNoKey
			}
			if w.Plaintext == "" {
				// The plaintext is shown once; losing it silently would
				// leave a live key nobody can use.
				return fmt.Errorf("key %q was created but the response carried no plaintext \"key\"", w.ID)
			}
			out = &CreatedKey{Secret: NewSecret(w.Plaintext)}
			return w.toKey(&out.Key)
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func decodeKeyEnvelope(b []byte) (*wireKey, error) {
	var env keyEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, err
	}
	return env.key(), nil
}

// Get returns one key, including TeamID, CreatedBy and SoftBlocked, which
// List does not return.
func (s *KeysService) Get(ctx context.Context, id string) (*Key, error) {
	p, err := keyPath(id)
	if err != nil {
		return nil, err
	}
	return s.getPath(ctx, p)
}

func (s *KeysService) getPath(ctx context.Context, p string) (*Key, error) {
	var out *Key
	err := s.do(ctx, request{method: http.MethodGet, path: p, retryWritten: true},
		func(b []byte) error {
			var err error
			out, err = decodeOneKey(b)
			return err
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func decodeOneKey(b []byte) (*Key, error) {
	// One allocation for the envelope and the result.
	var out struct {
		key Key
		env keyEnvelope
	}
	if err := json.Unmarshal(b, &out.env); err != nil {
		return nil, err
	}
	w := out.env.key()
	if w == nil {
		return nil, errNoKey
	}
	err := w.toKey(&out.key)
	out.env = keyEnvelope{} // the returned key must not keep the wire form alive
	return &out.key, err
}

// Update changes the fields set in params and returns the key as stored.
// The server answers without the key, so Update reads it back with a Get
// (one more request) unless the answer carries it. Update sends absolute
// values, so it is retried like a read.
func (s *KeysService) Update(ctx context.Context, id string, params *UpdateKeyParams) (*Key, error) {
	p, err := keyPath(id)
	if err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	var out *Key
	err = s.do(ctx, request{method: http.MethodPatch, path: p, body: params, retryWritten: true},
		func(b []byte) error {
			w, err := decodeKeyEnvelope(b)
			if err != nil || w == nil {
				return err
			}
			out = new(Key)
			return w.toKey(out)
		})
	if err != nil {
		return nil, err
	}
	if out != nil {
		return out, nil
	}
	return s.getPath(ctx, p)
}

// Delete removes a key for good. It is retried on transient failures; if
// an attempt may have deleted the key and a retry then answers 404, Delete
// returns nil. Deleting a key that does not exist is ErrNotFound.
func (s *KeysService) Delete(ctx context.Context, id string) error {
	p, err := keyPath(id)
	if err != nil {
		return err
	}
	return s.do(ctx, request{method: http.MethodDelete, path: p, retryWritten: true}, nil)
}

// keyPath validates an id and escapes it as one path segment.
func keyPath(id string) (string, error) {
	switch {
	case id == "":
		return "", &ValidationError{Field: "id", Problem: "is empty"}
	case id == "." || id == "..":
		return "", &ValidationError{Field: "id", Problem: fmt.Sprintf("%q is not a key id", id)}
	case strings.ContainsAny(id, "/\\"):
		return "", &ValidationError{Field: "id", Problem: fmt.Sprintf("%q contains a slash; key ids are UUIDs", id)}
	}
	return keysPath + "/" + url.PathEscape(id), nil
}
