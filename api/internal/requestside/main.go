// Command requestside writes the part of the contract that request validation reads, as
// compact JSON: the contract without its prose (descriptions, summaries, examples,
// external documentation), with each response reduced to its status code, and without
// the components nothing left refers to. The processor validates requests against that
// copy, which loads in a fifth of the time the whole contract takes. Run by go generate
// (api/generate.go):
//
//	go run ./internal/requestside openapi.yaml validation.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: requestside CONTRACT.yaml OUT.json")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "requestside:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	text, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if len(doc.Content) != 1 {
		return fmt.Errorf("%s: not one YAML document", in)
	}
	v, err := object(doc.Content[0])
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	contract, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: not an OpenAPI object", in)
	}
	statusesOnly(contract)
	dropUnreferenced(contract)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(contract); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// prose are the fields of OpenAPI objects that only people read.
var prose = map[string]bool{"description": true, "summary": true, "example": true, "examples": true, "externalDocs": true}

// named are the fields whose value maps names (of properties, schemas, status codes,
// paths, media types, headers...) to objects: their keys are kept whatever they are.
var named = map[string]bool{
	"properties": true, "patternProperties": true, "schemas": true, "responses": true, "paths": true,
	"parameters": true, "headers": true, "securitySchemes": true, "requestBodies": true, "content": true,
	"variables": true, "links": true, "callbacks": true, "encoding": true, "mapping": true, "definitions": true,
}

// verbatim are the fields whose value is data, not OpenAPI objects.
func verbatim(key string) bool {
	return key == "default" || key == "enum" || key == "const" || key == "mapping" || strings.HasPrefix(key, "x-")
}

// object converts an OpenAPI object, dropping its prose fields (statusesOnly gives each
// response back the description OpenAPI requires).
func object(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i].Value, n.Content[i+1]
			for value.Kind == yaml.AliasNode {
				value = value.Alias
			}
			if key == "<<" {
				return nil, fmt.Errorf("line %d: merge keys are not supported", n.Content[i].Line)
			}
			var err error
			switch {
			case prose[key]:
				continue
			case verbatim(key):
				m[key], err = data(value)
			case named[key] && value.Kind == yaml.MappingNode:
				m[key], err = names(value)
			default:
				m[key], err = object(value)
			}
			if err != nil {
				return nil, err
			}
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := object(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.AliasNode:
		return object(n.Alias)
	default:
		return data(n)
	}
}

// names converts a map from names to OpenAPI objects.
func names(n *yaml.Node) (any, error) {
	m := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		v, err := object(n.Content[i+1])
		if err != nil {
			return nil, err
		}
		m[n.Content[i].Value] = v
	}
	return m, nil
}

// data converts a YAML value as it is.
func data(n *yaml.Node) (any, error) {
	if n.Kind == yaml.MappingNode {
		// Keys of data are strings in JSON whatever YAML made of them.
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := data(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	}
	if n.Kind == yaml.SequenceNode {
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := data(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, fmt.Errorf("line %d: %w", n.Line, err)
	}
	return v, nil
}

// statusesOnly replaces every operation's responses by their status codes, each with the
// empty description OpenAPI requires, and drops the shared responses no operation refers
// to any more: requests are validated, answers are not.
func statusesOnly(doc map[string]any) {
	if components, ok := doc["components"].(map[string]any); ok {
		delete(components, "responses")
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, op := range ops {
			op, _ := op.(map[string]any)
			responses, ok := op["responses"].(map[string]any)
			if !ok {
				continue
			}
			for status := range responses {
				responses[status] = map[string]any{"description": ""}
			}
		}
	}
}

// dropUnreferenced removes the components that neither the document outside its
// components nor a component it keeps refers to. Security schemes are named by security
// requirements, not by references, and stay.
func dropUnreferenced(doc map[string]any) {
	components, _ := doc["components"].(map[string]any)
	reached := map[string]bool{}
	var pending []any
	for key, value := range doc {
		if key != "components" {
			pending = append(pending, value)
		}
	}
	for len(pending) > 0 {
		next := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		for _, ref := range refs(next, nil) {
			if reached[ref] {
				continue
			}
			reached[ref] = true
			kind, name, ok := strings.Cut(strings.TrimPrefix(ref, "#/components/"), "/")
			if section, isMap := components[kind].(map[string]any); ok && isMap && section[name] != nil {
				pending = append(pending, section[name])
			}
		}
	}
	for kind, section := range components {
		section, ok := section.(map[string]any)
		if !ok || kind == "securitySchemes" {
			continue
		}
		for name := range section {
			if !reached["#/components/"+kind+"/"+name] {
				delete(section, name)
			}
		}
		if len(section) == 0 {
			delete(components, kind)
		}
	}
}

// refs appends the $ref targets found in v to found.
func refs(v any, found []string) []string {
	switch v := v.(type) {
	case map[string]any:
		for key, value := range v {
			if ref, ok := value.(string); ok && key == "$ref" {
				found = append(found, ref)
				continue
			}
			found = refs(value, found)
		}
	case []any:
		for _, value := range v {
			found = refs(value, found)
		}
	}
	return found
}
