package aistatstest

import (
	"fmt"
	"net/http"

	"github.com/ai-stats/aistats-go"
)

// Body returns the JSON body the 2026-07 server sends for v, for gock,
// httpmock or any hand-rolled http.Handler:
//
//	gock.New(base).Get("/v1/keys/" + key.ID).Reply(200).JSON(aistatstest.Body(key))
//
// It is the fake's own answer, rendered by the code its handlers use:
//
//   - aistats.APIKey: GET (and PATCH) /v1/keys/{id}, {"data":{…}}.
//   - aistats.APIKeyPage: GET /v1/keys, {"data":[…],"total_count":Total};
//     a negative Total omits total_count.
//   - aistats.CreatedAPIKey: POST /v1/keys, the key with its plaintext
//     (Secret.Reveal) in "key"; reply 201.
//   - aistats.RotatedAPIKey: POST /v1/keys/{id}/rotate, plus
//     previous_key_expires_at.
//   - aistats.Key, aistats.KeyPage, aistats.CreatedKey: the same answers of
//     /v1/management-keys (a page has no total: the SDK reports Total -1).
//   - *aistats.APIError: the routes' error body for its Code and Message,
//     {"error":Code,"message":Message}, with "request_id" when RequestID is
//     set (the catch-all 500's shape); reply with its StatusCode. A 401 is
//     the guard's body instead, {"error":"unauthorised","reason":Message,
//     "request_id":RequestID,…} (Code replaces "unauthorised" when set), so
//     Message "db_error" mocks the server's database failure.
//
// Values may be given by value or by pointer. Decoding the body with the
// SDK gives v back for every field the wire carries: timestamps to the
// microsecond (previous_key_expires_at to the millisecond), not the
// fields only newer servers send (APIKey.Usage, LimitRemaining and
// Limits), nor a page's Limit and Offset (2026-07 does not echo them).
// Like the server, it answers "[redacted]" for a name or other text that
// looks like an error message ("Error: …").
//
// Body never panics. For a type it cannot render (or a nil pointer) it
// returns {"error":"aistatstest_unsupported_type","message":"aistatstest.Body:
// cannot render <type>; …"}: served as a 2xx, the SDK's *aistats.DecodeError
// quotes it; as an error status, the *aistats.APIError's Message is it.
func Body(v any) []byte { return BodyFor(aistats.APIVersionJuly2026, v) }

// BodyFor is Body for an API version: on aistats.APIVersionMarch2026 the
// 2026-03 envelopes of /v1/management/keys ({"ok":true,"key":{…}},
// {"ok":true,"limit":…,"offset":…,"total":…,"keys":[…]}, and
// {"ok":false,"error":…,"message":…} for an *aistats.APIError, with the
// message alone in "error" when Code is empty). Scopes are sent as the
// JSON array text the 2026-03 server stores for an array. API keys do not
// exist on 2026-03: they give the unsupported-type body.
func BodyFor(version aistats.APIVersion, v any) []byte {
	body, err := render(version, v)
	if err != nil {
		body = apiErrorBodyOf("aistatstest_unsupported_type", err.Error(), "")
	}
	return encodeJSON(body, true)
}

const supportedTypes = "want aistats.APIKey, APIKeyPage, CreatedAPIKey, RotatedAPIKey, Key, KeyPage, CreatedKey " +
	"(value or pointer) or *aistats.APIError"

// render picks the renderer for v's type.
func render(version aistats.APIVersion, v any) (any, error) {
	given := v
	if v = deref(v); v == nil {
		return nil, fmt.Errorf("aistatstest.Body: cannot render a nil %T; %s", given, supportedTypes)
	}
	switch version {
	case aistats.APIVersionJuly2026:
		return renderJuly(v)
	case aistats.APIVersionMarch2026:
		return renderMarch(v)
	}
	return nil, fmt.Errorf("aistatstest.BodyFor: unknown API version %q", version)
}

// deref turns a pointer to a supported type into its value, and a nil
// pointer into nil.
func deref(v any) any {
	switch p := v.(type) {
	case *aistats.APIKey:
		return derefOf(p)
	case *aistats.APIKeyPage:
		return derefOf(p)
	case *aistats.CreatedAPIKey:
		return derefOf(p)
	case *aistats.RotatedAPIKey:
		return derefOf(p)
	case *aistats.Key:
		return derefOf(p)
	case *aistats.KeyPage:
		return derefOf(p)
	case *aistats.CreatedKey:
		return derefOf(p)
	case aistats.APIError:
		return &p
	case *aistats.APIError:
		if p == nil {
			return nil
		}
	}
	return v
}

func derefOf[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func renderJuly(v any) (any, error) {
	switch v := v.(type) {
	case aistats.APIKey:
		return apiKeyGetBody(&v), nil
	case aistats.APIKeyPage:
		if err := nonNil(v.Keys); err != nil {
			return nil, err
		}
		return apiKeyListBodyOf(v.Keys, v.Total), nil
	case aistats.CreatedAPIKey:
		return createdAPIKeyBody(&v.APIKey, v.Secret.Reveal()), nil
	case aistats.RotatedAPIKey:
		return rotatedAPIKeyBodyOf(&v.APIKey, v.Secret.Reveal(), v.PreviousKeyExpiresAt), nil
	case aistats.Key:
		return managementKeyGetBody(&v), nil
	case aistats.KeyPage:
		if err := nonNil(v.Keys); err != nil {
			return nil, err
		}
		return managementKeyListBody(v.Keys), nil
	case aistats.CreatedKey:
		return createdManagementKeyBody(&v.Key, v.Secret.Reveal()), nil
	case *aistats.APIError:
		if v.StatusCode == http.StatusUnauthorized {
			return authErrorBodyOf(v.Code, v.Message, v.RequestID), nil
		}
		return apiErrorBodyOf(v.Code, v.Message, v.RequestID), nil
	}
	return nil, unsupported(v)
}

func renderMarch(v any) (any, error) {
	switch v := v.(type) {
	case aistats.Key:
		return keyGetBody(&v, jsStringifyList(v.Scopes)), nil
	case aistats.KeyPage:
		if err := nonNil(v.Keys); err != nil {
			return nil, err
		}
		items := make([]listItem, 0, len(v.Keys))
		for _, k := range v.Keys {
			items = append(items, listItemOf(k, jsStringifyList(k.Scopes)))
		}
		return keyListBody(items, v.Limit, int64(v.Offset), v.Total), nil
	case aistats.CreatedKey:
		return createdKeyBody(&v.Key, jsStringifyList(v.Scopes), v.Secret.Reveal()), nil
	case *aistats.APIError:
		return errorBodyOf(v.Code, v.Message), nil
	case aistats.APIKey, aistats.APIKeyPage, aistats.CreatedAPIKey, aistats.RotatedAPIKey:
		return nil, fmt.Errorf("aistatstest.BodyFor: cannot render %T on API version 2026-03, which has no API keys", v)
	}
	return nil, unsupported(v)
}

func unsupported(v any) error {
	return fmt.Errorf("aistatstest.Body: cannot render %T; %s", v, supportedTypes)
}

// nonNil reports a nil key in a page, which no server sends.
func nonNil[K any](keys []*K) error {
	for i, k := range keys {
		if k == nil {
			return fmt.Errorf("aistatstest.Body: Keys[%d] is nil", i)
		}
	}
	return nil
}
