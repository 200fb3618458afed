package ctcontract

import (
	"encoding/json"
	"fmt"
	"strings"
)

// outsideShape returns the check for endpoints the official description lacks: OAuth
// (token, introspection), the Checkout Session API, JWKS and the emulator's own endpoints.
func outsideShape(path string) (func(status int, body []byte) error, bool) {
	switch {
	case strings.HasSuffix(path, "/oauth/token"):
		return checkToken, true
	case strings.HasSuffix(path, "/oauth/introspect"):
		return checkIntrospection, true
	case strings.Contains(path, "/sessions"):
		return checkSession, true
	case strings.HasPrefix(path, "/emulator/") || strings.HasSuffix(path, "/.well-known/jwks.json"):
		return func(int, []byte) error { return nil }, true
	}
	return nil, false
}

func decodeObject(body []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object: %v", errShape, err)
	}
	return m, nil
}

// checkError requires commercetools' error body: statusCode, message, errors[{code, message}].
func checkError(status int, m map[string]any) error {
	if code, _ := m["statusCode"].(float64); int(code) != status {
		return fmt.Errorf("%w: statusCode %v, want %d", errShape, m["statusCode"], status)
	}
	if _, ok := m["message"].(string); !ok {
		return fmt.Errorf("%w: no message", errShape)
	}
	list, ok := m["errors"].([]any)
	if !ok || len(list) == 0 {
		return fmt.Errorf("%w: no errors list", errShape)
	}
	for _, e := range list {
		obj, ok := e.(map[string]any)
		if !ok || obj["code"] == nil || obj["message"] == nil {
			return fmt.Errorf("%w: error entry without code and message", errShape)
		}
	}
	return nil
}

func require(m map[string]any, kinds map[string]string) error {
	for field, kind := range kinds {
		v, ok := m[field]
		if !ok {
			return fmt.Errorf("%w: missing %s", errShape, field)
		}
		var good bool
		switch kind {
		case "string":
			_, good = v.(string)
		case "number":
			_, good = v.(float64)
		case "bool":
			_, good = v.(bool)
		case "object":
			_, good = v.(map[string]any)
		}
		if !good {
			return fmt.Errorf("%w: %s is not a %s", errShape, field, kind)
		}
	}
	return nil
}

func checkToken(status int, body []byte) error {
	m, err := decodeObject(body)
	if err != nil {
		return err
	}
	if status >= 400 {
		if err := checkError(status, m); err != nil {
			return err
		}
		return require(m, map[string]string{"error": "string"})
	}
	return require(m, map[string]string{"access_token": "string", "token_type": "string", "expires_in": "number", "scope": "string"})
}

func checkIntrospection(status int, body []byte) error {
	m, err := decodeObject(body)
	if err != nil {
		return err
	}
	if status >= 400 {
		return require(m, map[string]string{"error": "string", "message": "string"})
	}
	if err := require(m, map[string]string{"active": "bool"}); err != nil {
		return err
	}
	if m["active"] == true {
		return require(m, map[string]string{"scope": "string", "exp": "number", "client_id": "string"})
	}
	return nil
}

func checkSession(status int, body []byte) error {
	m, err := decodeObject(body)
	if err != nil {
		return err
	}
	if status >= 400 {
		return checkError(status, m)
	}
	if err := require(m, map[string]string{"id": "string", "state": "string", "activeCart": "object", "metadata": "object",
		"version": "number", "createdAt": "string", "lastModifiedAt": "string"}); err != nil {
		return err
	}
	if s := m["state"]; s != "ACTIVE" && s != "EXPIRED" {
		return fmt.Errorf("%w: state %v", errShape, s)
	}
	cart, _ := m["activeCart"].(map[string]any)
	ref, _ := cart["cartRef"].(map[string]any)
	return require(ref, map[string]string{"id": "string"})
}
