package aistats

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/ai-stats/aistats-go/internal/ids"
	"github.com/google/go-querystring/query"
)

// APIKeysService manages inference API keys through /v1/keys: c.APIKeys on
// a Client. It needs API version 2026-07; on 2026-03 every method returns
// an error matching errors.ErrUnsupported before any request.
//
// Deleting an API key leaves a tombstone whose hash is rewritten to
// "deleted:<id>": Get and Delete by the key's id still find it (status
// deleted; a repeated Delete succeeds), while Get and Delete by its
// original hash answer ErrNotFound.
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

// ready returns the client if it was made by NewClient and its API version
// has /v1/keys.
func (s *APIKeysService) ready(method string) (*Client, error) {
	if s == nil || s.client == nil || s.client.rc == nil {
		return nil, errNotInitialised
	}
	if err := s.client.dialect.apiKeys(method); err != nil {
		return nil, err
	}
	return s.client, nil
}

// List returns one page of API keys, newest first. Paused, soft-blocked
// and deleted keys are hidden unless opts.IncludeDisabled is set.
func (s *APIKeysService) List(ctx context.Context, opts *ListAPIKeysOptions) (*APIKeyPage, error) {
	c, err := s.ready("List")
	if err != nil {
		return nil, err
	}
	var o ListAPIKeysOptions
	if opts != nil {
		o = *opts
	}
	if err := checkWindow(o.Limit, o.Offset); err != nil {
		return nil, err
	}
	o.Limit = min(o.Limit, MaxPageSize)
	q, err := query.Values(o)
	if err != nil {
		return nil, fmt.Errorf("aistats: encoding list options: %w", err)
	}
	return fetch(ctx, c, request{op: "APIKeys.List", method: http.MethodGet, route: routeAPIKeys, path: apiKeysPath, query: q.Encode()},
		func(b []byte) (*APIKeyPage, error) {
			page := &APIKeyPage{opts: o}
			return page, decodeAPIKeyPage(b, page)
		})
}

func decodeAPIKeyPage(b []byte, page *APIKeyPage) error {
	items, total, err := decodeDataList[wireAPIKey](b)
	if err != nil {
		return err
	}
	if page.Keys, err = convertAll(items, (*wireAPIKey).decode); err != nil {
		return err
	}
	page.served, page.Total = len(items), total
	page.Limit, page.Offset = page.opts.Limit, page.opts.Offset
	if page.Limit == 0 {
		page.Limit = july2026{}.defaultPageSize()
	}
	return nil
}

// Pages walks the API keys page by page; see KeysService.Pages.
func (s *APIKeysService) Pages(ctx context.Context, opts *ListAPIKeysOptions) iter.Seq2[*APIKeyPage, error] {
	return pagesOf(ctx, opts, s.List, func(k *APIKey) string { return k.ID })
}

// All walks every API key the options select, newest first, with the
// guarantees of KeysService.All: lazy pages, no key yielded twice, and
// ErrNoProgress instead of a loop.
func (s *APIKeysService) All(ctx context.Context, opts *ListAPIKeysOptions) iter.Seq2[*APIKey, error] {
	return all(ctx, s.Pages(ctx, opts))
}

func (p *APIKeyPage) items() []*APIKey     { return p.Keys }
func (p *APIKeyPage) setItems(k []*APIKey) { p.Keys = k }

func (p *APIKeyPage) window() (int, int, bool) {
	next, more := nextWindow(p.Limit, p.Offset, p.served, p.Total)
	return p.Offset, next, more
}

// NextOptions returns the options for the page after this one, and false
// when this page is the last; see KeyPage.NextOptions.
func (p *APIKeyPage) NextOptions() (*ListAPIKeysOptions, bool) {
	return nextOptionsOf(p.opts, p.Limit, p.Offset, max(len(p.Keys), p.served), p.Total)
}

// createAPIKeyBody is the K2 body (contract-2026-07.md §6.3). scopes is
// never sent: the server rejects it.
type createAPIKeyBody struct {
	Name        string     `json:"name"`
	Limit       *float64   `json:"limit,omitempty"`
	LimitReset  LimitReset `json:"limit_reset,omitempty"`
	ExpiresAt   *string    `json:"expires_at,omitempty"`
	Disabled    bool       `json:"disabled,omitempty"`
	SoftBlocked bool       `json:"soft_blocked,omitempty"`
	WorkspaceID string     `json:"workspace_id,omitempty"`
}

// Create makes an API key and returns it with its one-time plaintext in
// CreatedAPIKey.Secret. Like Keys.Create it is never retried once the
// request may have reached the server (an unknown outcome matches
// ErrUnknownOutcome), and when the key was created but part of the answer
// could not be read it returns the key with its Secret together with a
// *DecodeError whose KeyCreated is true.
func (s *APIKeysService) Create(ctx context.Context, params *CreateAPIKeyParams) (*CreatedAPIKey, error) {
	c, err := s.ready("Create")
	if err != nil {
		return nil, err
	}
	body, err := createAPIKeyRequest(params)
	if err != nil {
		return nil, err
	}
	return fetch(ctx, c, request{op: "APIKeys.Create", method: http.MethodPost, route: routeAPIKeys, path: apiKeysPath, body: body, mint: "create"}, decodeCreatedAPIKey)
}

func decodeCreatedAPIKey(b []byte) (*CreatedAPIKey, error) {
	return decodeMinted(b, func() (*CreatedAPIKey, string, error) {
		w, err := decodeDataObject[wireAPIKey](b)
		if err != nil {
			return nil, "", err
		}
		return createdAPIKey(w)
	}, salvageCreatedAPIKey)
}

func createAPIKeyRequest(p *CreateAPIKeyParams) (*createAPIKeyBody, error) {
	if p == nil {
		return nil, errNilParams
	}
	if err := requireName("Name", p.Name, "is required"); err != nil {
		return nil, err
	}
	reset, err := createLimit(p.Limit, p.LimitReset)
	if err != nil {
		return nil, err
	}
	body := &createAPIKeyBody{Name: p.Name, Limit: p.Limit, LimitReset: reset, Disabled: p.Disabled,
		SoftBlocked: p.SoftBlocked, WorkspaceID: p.WorkspaceID}
	if p.ExpiresAt != nil {
		body.ExpiresAt = timeOrNull(*p.ExpiresAt)
	}
	return body, nil
}

func createdAPIKey(w *wireAPIKey) (*CreatedAPIKey, string, error) {
	out := &CreatedAPIKey{Secret: NewSecret(w.Plaintext)}
	if err := w.decode(&out.APIKey); err != nil {
		return nil, "", err
	}
	return out, w.Plaintext, nil
}

func salvageCreatedAPIKey(plaintext, id string) *CreatedAPIKey {
	return &CreatedAPIKey{APIKey: APIKey{ID: id}, Secret: NewSecret(plaintext)}
}

// Get returns one API key by its id (a UUID) or its hash (64 hex digits,
// or "deleted:<id>" for a deleted key). By id, a deleted key is still
// returned, with status deleted; by its original hash it is ErrNotFound,
// since deleting rewrites the hash.
func (s *APIKeysService) Get(ctx context.Context, idOrHash string) (*APIKey, error) {
	c, err := s.ready("Get")
	if err != nil {
		return nil, err
	}
	p, err := apiKeyPath(routeAPIKey, idOrHash)
	if err != nil {
		return nil, err
	}
	return fetch(ctx, c, request{op: "APIKeys.Get", method: http.MethodGet, route: routeAPIKey, path: p}, decodeAPIKey)
}

func decodeAPIKey(b []byte) (*APIKey, error) {
	w, err := decodeDataObject[wireAPIKey](b)
	if err != nil {
		return nil, err
	}
	out := new(APIKey)
	if err := w.decode(out); err != nil {
		return nil, err
	}
	return out, nil
}

// apiKeyPath accepts what /v1/keys/{id} looks up: a dashed UUID (by id) or
// a 64-hex hash. Anything else could only ever be a 404. It returns r's
// path for that id.
func apiKeyPath(r route, id string) (string, error) {
	if !ids.IsDashedUUID(id) && !ids.IsKeyHash(id) {
		return "", badID(id, "is neither an API key id (a UUID) nor its hash (64 lower-case hex digits, or deleted:<id>)")
	}
	return r.pathOf(nil, id), nil
}

// updateAPIKeyBody is the K4 body (§6.5); there "expires_at": null clears.
type updateAPIKeyBody struct {
	Name        *string      `json:"name,omitempty"`
	Disabled    *bool        `json:"disabled,omitempty"`
	SoftBlocked *bool        `json:"soft_blocked,omitempty"`
	ExpiresAt   nullableTime `json:"expires_at,omitzero"`
	// Limit is absent, null (RemoveLimit: no cost limit in any window) or
	// an amount, which always comes with LimitReset (see updateLimit).
	Limit      nullable[float64] `json:"limit,omitzero"`
	LimitReset *LimitReset       `json:"limit_reset,omitempty"`
}

// Update changes the fields set in params and returns the key as stored;
// what params leaves out stays as it is. A USD limit is set with its window
// (Limit and LimitReset together) or removed with RemoveLimit, so the
// result never depends on what the key held before; see
// UpdateAPIKeyParams. It sends absolute values, so it is retried like a
// read. The server also updates a deleted key's tombstone, which does not
// bring it back.
func (s *APIKeysService) Update(ctx context.Context, id string, params *UpdateAPIKeyParams) (*APIKey, error) {
	c, err := s.ready("Update")
	if err != nil {
		return nil, err
	}
	p, err := apiKeyPath(routeAPIKey, id)
	if err != nil {
		return nil, err
	}
	body, err := updateAPIKeyRequest(params)
	if err != nil {
		return nil, err
	}
	return fetch(ctx, c, request{op: "APIKeys.Update", method: http.MethodPatch, route: routeAPIKey, path: p, body: body}, decodeAPIKey)
}

func updateAPIKeyRequest(p *UpdateAPIKeyParams) (*updateAPIKeyBody, error) {
	if p == nil {
		return nil, errNilParams
	}
	if p.Name == nil && p.Disabled == nil && p.SoftBlocked == nil && p.ExpiresAt == nil && p.Limit == nil && p.LimitReset == nil && !p.RemoveLimit {
		return nil, errNothingToUpdate
	}
	if p.Name != nil {
		if err := requireName("Name", *p.Name, "must not be empty when set"); err != nil {
			return nil, err
		}
	}
	limit, err := updateLimit(p)
	if err != nil {
		return nil, err
	}
	body := &updateAPIKeyBody{Name: p.Name, Disabled: p.Disabled, SoftBlocked: p.SoftBlocked, Limit: limit, LimitReset: p.LimitReset}
	if p.ExpiresAt != nil {
		body.ExpiresAt = nullableTime{set: true, value: timeOrNull(*p.ExpiresAt)}
	}
	return body, nil
}

// Delete deletes an API key. The server keeps a tombstone: status
// deleted, and its hash rewritten to "deleted:<id>". Addressed by its id
// (the UUID), the key is still found, so a repeated Delete succeeds;
// addressed by its original hash it is not, and a repeat (or a Get by
// that hash) is ErrNotFound.
//
// Delete is retried on transient failures. When an attempt may have
// deleted the key and a retry answers 404, what the 404 means depends on
// the address: by hash the key is gone (the first attempt deleted it) and
// Delete returns nil; by id a deleted key would still be found, so the
// key never existed in this workspace and Delete returns the error
// matching ErrNotFound. Any 2xx answer is a success, whatever its body.
func (s *APIKeysService) Delete(ctx context.Context, id string) error {
	c, err := s.ready("Delete")
	if err != nil {
		return err
	}
	p, err := apiKeyPath(routeAPIKey, id)
	if err != nil {
		return err
	}
	byHash := ids.IsKeyHash(id) && !strings.HasPrefix(id, "deleted:")
	return c.do(ctx, request{op: "APIKeys.Delete", method: http.MethodDelete, route: routeAPIKey, path: p, goneOn404: byHash}, nil)
}

// rotateBody is the rotate request (contract-2026-07.md §9.2). Servers
// have read the new key's name from "name" and, in one variant, from
// "new_name"; both carry it, and each ignores the other.
type rotateBody struct {
	Name                 string  `json:"name,omitempty"`
	NewName              string  `json:"new_name,omitempty"`
	PreviousKeyExpiresAt *string `json:"previous_key_expires_at,omitempty"`
}

// rotateMissingHint explains Rotate's ErrEndpointNotFound.
const rotateMissingHint = "this server has no API key rotation route: it arrived in server versions after 2026-08, " +
	"and older deployments answer 404; instead create a new key with APIKeys.Create, then delete the old one " +
	"with APIKeys.Delete once its users have switched"

// rotateEnvelope is the rotate answer: the new key, and when the old one
// stops working.
type rotateEnvelope struct {
	Data                 *wireAPIKey `json:"data"`
	PreviousKeyExpiresAt wireTime    `json:"previous_key_expires_at"`
}

// Rotate replaces an API key: the server creates a new key (new id, new
// secret) and returns it with its one-time plaintext. params may be nil.
//
// What the new key keeps, as the newest server source does it (the rotate
// handler of apps/api/src/routes/v1/control/keys.ts):
//   - the USD limit and its window (all three cost windows) and the
//     per-window request limits;
//   - SoftBlocked;
//   - the workspace.
//
// What it does not keep:
//   - the name: params.Name, or "<old name> (rotated)" when empty;
//   - the expiry: the new key never expires (set ExpiresAt with Update);
//   - a pause: the new key is active even when the old one is paused;
//   - guardrail and broadcast links, which stay with the old key;
//   - CreatedBy, which is the caller (or the workspace owner).
//
// The old key keeps working, unchanged, unless params.PreviousKeyExpiresAt
// gives it a deadline; delete it once its users have switched.
//
// Rotate mints a secret, so it follows Create's rules: never retried once
// the request may have reached the server (ErrUnknownOutcome), and the
// secret is returned even when part of the answer could not be read. A
// deleted key is ErrNotFound (or ErrConflict on some servers). A server
// without the rotation route answers ErrEndpointNotFound, whose message says
// so: create a new key and delete the old one instead.
func (s *APIKeysService) Rotate(ctx context.Context, id string, params *RotateAPIKeyParams) (*RotatedAPIKey, error) {
	c, err := s.ready("Rotate")
	if err != nil {
		return nil, err
	}
	p, err := apiKeyPath(routeAPIKeyRotate, id)
	if err != nil {
		return nil, err
	}
	body := &rotateBody{}
	if params != nil {
		body.Name, body.NewName = params.Name, params.Name
		if params.PreviousKeyExpiresAt != nil {
			body.PreviousKeyExpiresAt = timeOrNull(*params.PreviousKeyExpiresAt)
		}
	}
	return fetch(ctx, c, request{op: "APIKeys.Rotate", method: http.MethodPost, route: routeAPIKeyRotate, path: p, body: body, mint: "rotate", missingHint: rotateMissingHint},
		func(b []byte) (*RotatedAPIKey, error) {
			return decodeMinted(b, func() (*RotatedAPIKey, string, error) { return decodeRotated(b) },
				func(plaintext, id string) *RotatedAPIKey {
					return &RotatedAPIKey{CreatedAPIKey: *salvageCreatedAPIKey(plaintext, id)}
				})
		})
}

func decodeRotated(b []byte) (*RotatedAPIKey, string, error) {
	var env rotateEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, "", err
	}
	if env.Data == nil {
		return nil, "", errNoDataObject
	}
	created, plaintext, err := createdAPIKey(env.Data)
	if err != nil {
		return nil, "", err
	}
	out := &RotatedAPIKey{CreatedAPIKey: *created}
	if out.PreviousKeyExpiresAt, err = env.PreviousKeyExpiresAt.optional("previous_key_expires_at"); err != nil {
		return nil, "", err
	}
	return out, plaintext, nil
}
