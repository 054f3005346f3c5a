package events

import (
	"encoding/json"
	"testing"
)

const sampleEvent = `{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],"detail":{"instance-id":"i-0123456789","state":"RUNNING","count":3,"tags":{"env":"prod"}}}`

func TestTransform_documentedExamples(t *testing.T) {
	paths := map[string]string{"instance": "$.detail.instance-id", "state": "$.detail.state", "count": "$.detail.count", "tags": "$.detail.tags", "missing": "$.detail.nope"}
	tc := transformContext{RuleARN: "arn:aws:events:us-east-2:123456789012:rule/example", RuleName: "example", IngestionTime: "2015-11-11T21:29:55Z"}
	cases := []struct{ template, want string }{
		// The examples of eb-transform-target-input.html.
		{`"instance <instance> is in <state>"`, `"instance i-0123456789 is in RUNNING"`},
		{`{"instance" : <instance>, "state": <state>}`, `{"instance":"i-0123456789","state":"RUNNING"}`},
		{`{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}`, `{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}`},
		{`{"ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>}`, `{"ruleArn":"arn:aws:events:us-east-2:123456789012:rule/example","ruleName":"example"}`},
		{`"<aws.events.rule-name> triggered"`, `"example triggered"`},
		{`<instance> is in state <state>`, `i-0123456789 is in state RUNNING`},
		{`{"myInstance": <instance>,"myStatus": "<instance> is in state \"<state>\""}`, `{"myInstance":"i-0123456789","myStatus":"i-0123456789 is in state \"RUNNING\""}`},
		// Numbers stay numbers; objects inside a string lose their quotes.
		{`{"n": <count>, "s": "n=<count>", "t": <tags>, "ts": "tags <tags>"}`, `{"n":3,"s":"n=3","t":{"env":"prod"},"ts":"tags {env:prod}"}`},
		// A path that matches nothing.
		{`{"m": <missing>, "s": "[<missing>]"}`, `{"m":null,"s":"[]"}`},
		// Not a variable: left as written.
		{`a <b> c`, `a <b> c`},
	}
	for _, c := range cases {
		got, err := applyTransformer(c.template, paths, []byte(sampleEvent), tc)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("template %s\n got %s\nwant %s", c.template, got, c.want)
		}
	}
	whole, _ := applyTransformer(`{"e": <aws.events.event.json>, "noDetail": <aws.events.event>}`, nil, []byte(sampleEvent), tc)
	var v struct {
		E        map[string]any `json:"e"`
		NoDetail map[string]any `json:"noDetail"`
	}
	if err := json.Unmarshal([]byte(whole), &v); err != nil || v.E["detail"] == nil || v.NoDetail["detail"] != nil || v.NoDetail["id"] == nil {
		t.Fatalf("predefined event variables: %s %v", whole, err)
	}
}

func TestTransform_inputPath(t *testing.T) {
	for path, want := range map[string]string{
		"$":                    sampleEvent,
		"$.detail.state":       `"RUNNING"`,
		"$.resources[0]":       `"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"`,
		"$.detail['tags'].env": `"prod"`,
		"$.detail.tags.*":      `["prod"]`,
		"$.nothing":            `null`,
	} {
		got, err := applyInputPath(path, []byte(sampleEvent))
		if err != nil {
			t.Fatal(err)
		}
		if path == "$" {
			var a, b any
			_ = json.Unmarshal([]byte(got), &a)
			_ = json.Unmarshal([]byte(want), &b)
			if jsonString(a) != jsonString(b) {
				t.Errorf("%s = %s", path, got)
			}
			continue
		}
		if got != want {
			t.Errorf("%s = %s, want %s", path, got, want)
		}
	}
	for _, bad := range []string{"", "detail", "$.", "$[x]", "$.a[", "$..a"} {
		if _, err := parseJSONPath(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func jsonString(v any) string { b, _ := json.Marshal(v); return string(b) }

// FuzzInputTransformer checks that a JSON template whose variables are all defined always
// yields valid JSON, whatever the event's values, and that nothing panics.
func FuzzInputTransformer(f *testing.F) {
	f.Add(`{"a": <v>, "b": "x <v> y"}`, `{"detail":{"v":"he said \"hi\"\n"}}`, "$.detail.v")
	f.Add(`"<v> triggered"`, `{"detail":{"v":{"k":[1,2]}}}`, "$.detail.v")
	f.Add(`[<v>, "<v>"]`, `{"detail":{"v":12.5}}`, "$.detail")
	f.Add(`plain <v>`, `{"detail":{"v":null}}`, "$.detail.*")
	f.Fuzz(func(t *testing.T, template, event, path string) {
		if !json.Valid([]byte(event)) {
			return
		}
		out, err := applyTransformer(template, map[string]string{"v": path}, []byte(event), transformContext{RuleName: "r"})
		if err != nil {
			return
		}
		// A JSON template with only well-formed string literals stays JSON.
		probe := fillTemplate(template, map[string]any{"v": "x"})
		if json.Valid([]byte(probe)) && len(template) > 0 && (template[0] == '{' || template[0] == '[') && !json.Valid([]byte(out)) {
			t.Fatalf("template %q with event %s gave invalid JSON %q", template, event, out)
		}
	})
}
