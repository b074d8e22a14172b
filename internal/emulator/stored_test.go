package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/emulator"
)

// The control surface refuses every value the API refuses for the same
// field, with the API's message, which names the field; a refused patch
// changes nothing.
func TestControlSurfaceValidatesFields(t *testing.T) {
	e := startEmulator(t, emulator.Options{QPS: -1, Variants: []emulator.Variant{emulator.VariantFlaky}})
	for _, c := range []struct{ info, want string }{
		{`"RetryCount":-1`, "The parameter RetryCount must be an integer of at least 0."},
		{`"RetryInterval":59`, "The parameter RetryInterval must be an integer from 60 to 300 (seconds)."},
		{`"RetryInterval":301`, "The parameter RetryInterval must be an integer from 60 to 300 (seconds)."},
		{`"RepeatNumber":-2`, "The parameter RepeatNumber must be an integer of at least -1."},
		{`"FileIndex":-1`, "The parameter FileIndex must be an integer of at least 0."},
		{`"Offset":-5`, "The parameter Offset must be an integer of at least 0 (seconds)."},
		{`"FileIndex":2`, "The parameter FileIndex must be less than the number of SourceUrls (2)."},
		{`"SourceType":"dvd"`, "The parameter SourceType must be one of live, vod or url."},
	} {
		body := `{"Region":"cn-shanghai","TaskInfo":{"SourceType":"url","SourceUrls":["https://m.example.com/a.mp4","https://m.example.com/b.mp4"],"DstUrl":"rtmp://push.example.com/live/v",` + c.info + `}}`
		if strings.Contains(c.info, "SourceType") {
			body = `{"Region":"cn-shanghai","TaskInfo":{"SourceUrls":["https://m.example.com/a.mp4"],"DstUrl":"rtmp://push.example.com/live/v",` + c.info + `}}`
		}
		status, got := control(t, e, http.MethodPost, "tasks", body)
		want := fmt.Sprintf(`{"Code":"InvalidParameter","Message":"emulator: %s"}`, c.want)
		if status != http.StatusBadRequest || got != want {
			t.Errorf("POST tasks with %s: %d %s, want 400 %s", c.info, status, got, want)
		}
	}
	if n := len(e.Tasks()); n != 0 {
		t.Fatalf("%d tasks stored after refused requests", n)
	}
	id, err := e.AddTask("", emulator.TaskInfo{SourceType: "url", SourceUrls: []string{"https://m.example.com/a.mp4"},
		DstUrl: "rtmp://push.example.com/live/ok", RetryCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	status, got := control(t, e, http.MethodPatch, "tasks/"+id, `{"TaskName":"renamed","RetryCount":-1}`)
	if want := `{"Code":"InvalidParameter","Message":"emulator: The parameter RetryCount must be an integer of at least 0."}`; status != http.StatusBadRequest || got != want {
		t.Errorf("PATCH RetryCount -1: %d %s, want 400 %s", status, got, want)
	}
	if tk, _ := e.Task(id); tk.TaskInfo.TaskName != "" || tk.TaskInfo.RetryCount != 2 {
		t.Errorf("a refused patch changed the task: %+v", tk.TaskInfo)
	}
	// The reproduction: under flaky, a failure draws from RetryCount; the
	// clock moves on through many failures and the emulator still answers.
	e.Advance(48 * time.Hour)
	if status, _ := control(t, e, http.MethodGet, "clock", ""); status != http.StatusOK {
		t.Fatalf("the emulator stopped answering: %d", status)
	}
}

// A state file that holds a value the API refuses is refused at start,
// naming the file, the task and the field; the process does not crash.
func TestStateFileWithInvalidTaskIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	e := startEmulator(t, emulator.Options{QPS: -1, StateFile: path})
	if _, err := e.AddTask("", emulator.TaskInfo{TaskId: "bad", SourceType: "live", SourceProtocol: "rtmp",
		SourceUrls: []string{"rtmp://o.example.com/l/a"}, DstUrl: "rtmp://push.example.com/live/s"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `"retryCount": 0`, `"retryCount": -1`, 1)
	if edited == string(data) {
		t.Fatalf("no retryCount in the state file: %s", data)
	}
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = emulator.New(emulator.Options{QPS: -1, StateFile: path})
	want := "emulator: state file " + path + ": task bad: emulator: The parameter RetryCount must be an integer of at least 0."
	if err == nil || err.Error() != want {
		t.Fatalf("New = %v\nwant %s", err, want)
	}
}

// FuzzControlSurface feeds any body to any control endpoint, then moves
// the clock under every variant: no request may end the process (a panic
// fails the fuzz target) and every answer is JSON or empty.
func FuzzControlSurface(f *testing.F) {
	f.Add("POST", "tasks", `{"Region":"cn-shanghai","TaskInfo":{"SourceType":"url","SourceUrls":["https://a/b.mp4"],"DstUrl":"rtmp://h/a","RetryCount":-1}}`)
	f.Add("PATCH", "tasks/t1", `{"RetryCount":-1,"FileIndex":9}`)
	f.Add("POST", "tasks/t1/fail", `{"reason":"PullStreamFailed"}`)
	f.Add("POST", "clock", `{"advance":"-90s"}`)
	f.Add("POST", "faults", `{"plan":"op=create,every=0"}`)
	f.Add("POST", "listlag", `{"lag":"-1s"}`)
	f.Add("POST", "qps", `{"qps":-3}`)
	f.Add("POST", "variants", `{"variants":"all"}`)
	f.Fuzz(func(t *testing.T, method, path, body string) {
		e, err := emulator.New(emulator.Options{QPS: -1, Variants: []emulator.Variant{emulator.VariantFlaky, emulator.VariantAsync}})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if _, err := e.AddTask("", emulator.TaskInfo{TaskId: "t1", SourceType: "url", RetryCount: 3,
			SourceUrls: []string{"https://m.example.com/a.mp4"}, DstUrl: "rtmp://push.example.com/live/f"}); err != nil {
			t.Fatal(err)
		}
		if !validMethod(method) {
			return
		}
		req, err := http.NewRequestWithContext(context.Background(), method, "http://127.0.0.1/_emulator/"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.RemoteAddr = "127.0.0.1:1234"
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if out := strings.TrimSpace(rec.Body.String()); out != "" && !strings.HasPrefix(out, "{") && !strings.HasPrefix(out, "[") {
			t.Errorf("%s %s answered %d %q", method, path, rec.Code, out)
		}
		for range 5 {
			e.Advance(7 * time.Hour)
			_ = e.Tasks()
		}
	})
}

func validMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut:
		return true
	}
	return false
}
