// Command prose writes the contract without its prose: the descriptions, summaries,
// examples and external documentation that request validation never reads, as compact
// JSON. The processor validates requests against that copy, which loads in about half
// the time of the whole contract. Run by go generate (api/generate.go):
//
//	go run ./internal/prose openapi.yaml validation.json
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
		fmt.Fprintln(os.Stderr, "usage: prose CONTRACT.yaml OUT.json")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "prose:", err)
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
	v, err := object(doc.Content[0], false)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
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

// object converts an OpenAPI object, dropping its prose fields. A response keeps its
// description, which OpenAPI requires.
func object(n *yaml.Node, response bool) (any, error) {
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
			case prose[key] && !(response && key == "description"):
				continue
			case verbatim(key):
				m[key], err = data(value)
			case named[key] && value.Kind == yaml.MappingNode:
				m[key], err = names(value, key == "responses")
			default:
				m[key], err = object(value, false)
			}
			if err != nil {
				return nil, err
			}
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := object(c, false)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.AliasNode:
		return object(n.Alias, response)
	default:
		return data(n)
	}
}

// names converts a map from names to OpenAPI objects (responses when responses is set).
func names(n *yaml.Node, responses bool) (any, error) {
	m := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		v, err := object(n.Content[i+1], responses)
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
