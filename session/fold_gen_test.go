package session_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// The command generator of the fold property test: every op, with
// arguments that are mostly valid (existing ids, the current item, the
// caller's own ideas) and sometimes not, so that refusals are exercised too.

// foldOp makes one random command of an op: who sends it and its fields.
// A nil fields map means the generator built the command itself (join).
type foldOp struct {
	weight int
	gen    func(r *foldRun) (session.Who, map[string]any)
}

var (
	foldOps      map[string]foldOp
	foldOpNames  []string // sorted, so that a seed always draws the same ops
	foldOpWeight int
)

func init() {
	fac := func(gen func(r *foldRun) map[string]any) func(r *foldRun) (session.Who, map[string]any) {
		return func(r *foldRun) (session.Who, map[string]any) { return r.facilitator(), gen(r) }
	}
	foldOps = map[string]foldOp{
		"table.edit":   {2, fac(func(r *foldRun) map[string]any { return r.tableEdit() })},
		"table.lock":   {1, fac(func(r *foldRun) map[string]any { return nil })},
		"table.unlock": {2, fac(func(r *foldRun) map[string]any { return nil })},
		"table.close":  {1, fac(func(r *foldRun) map[string]any { return nil })},
		"table.reopen": {4, fac(func(r *foldRun) map[string]any { return nil })},
		"participant.update": {2, func(r *foldRun) (session.Who, map[string]any) {
			return r.member(), map[string]any{"name": r.pick(names), "org": r.pick(orgs), "sector": r.pick(session.Sectors)}
		}},
		"participant.remove": {1, fac(func(r *foldRun) map[string]any { return map[string]any{"participant": r.participant()} })},
		"participant.forget": {1, fac(func(r *foldRun) map[string]any { return map[string]any{"participant": r.participant()} })},
		"item.add": {2, fac(func(r *foldRun) map[string]any {
			f := map[string]any{"title": r.pick(itemTitles), "question": r.pick(questions), "timebox": r.rnd.IntN(40)}
			if r.chance(50) {
				f["after"] = r.item()
			}
			return f
		})},
		"item.edit": {2, fac(func(r *foldRun) map[string]any {
			f := map[string]any{"item": r.item()}
			r.maybe(f, "title", r.pick(itemTitles))
			r.maybe(f, "question", r.pick(questions))
			r.maybe(f, "presenter", r.pick(names))
			r.maybe(f, "timebox", r.rnd.IntN(40))
			return f
		})},
		"item.move": {2, fac(func(r *foldRun) map[string]any {
			return map[string]any{"item": r.item(), "index": r.rnd.IntN(len(r.m.tbl.Items)+1) - r.rnd.IntN(2)}
		})},
		"item.remove": {1, fac(func(r *foldRun) map[string]any { return map[string]any{"item": r.item()} })},
		"item.open":   {4, fac(func(r *foldRun) map[string]any { return map[string]any{"item": r.item()} })},
		"item.phase": {7, fac(func(r *foldRun) map[string]any {
			return map[string]any{"item": r.item(), "phase": r.pick([]string{"collect", "vote", "vote", "actions", "closed"})}
		})},
		"item.notes": {1, fac(func(r *foldRun) map[string]any {
			return map[string]any{"item": r.item(), "notes": r.pick(notes)}
		})},
		"item.voting": {2, fac(func(r *foldRun) map[string]any {
			return map[string]any{"item": r.item(), "dots": 1 + r.rnd.IntN(5), "multiDot": r.chance(50)}
		})},
		"item.reveal": {5, fac(func(r *foldRun) map[string]any {
			return map[string]any{"item": r.item(), "revealed": r.chance(60)}
		})},
		"timer.start": {2, fac(func(r *foldRun) map[string]any {
			f := map[string]any{"item": r.item()}
			if r.chance(40) {
				f["seconds"] = 60 + r.rnd.IntN(1800)
			}
			return f
		})},
		"timer.pause": {2, fac(func(r *foldRun) map[string]any { return map[string]any{"item": r.item()} })},
		"timer.reset": {1, fac(func(r *foldRun) map[string]any { return map[string]any{"item": r.item()} })},
		"idea.add":    {14, func(r *foldRun) (session.Who, map[string]any) { return r.ideaAdd() }},
		"idea.edit": {3, func(r *foldRun) (session.Who, map[string]any) {
			who, idea := r.ideaOwner()
			return who, map[string]any{"idea": idea, "text": r.pick(ideaTexts) + " (muokattu)"}
		}},
		"idea.delete": {3, func(r *foldRun) (session.Who, map[string]any) {
			who, idea := r.ideaOwner()
			return who, map[string]any{"idea": idea}
		}},
		"idea.hide":    {4, fac(func(r *foldRun) map[string]any { return map[string]any{"idea": r.idea()} })},
		"idea.approve": {4, fac(func(r *foldRun) map[string]any { return map[string]any{"idea": r.pendingIdea()} })},
		"facilitator.add": {1, fac(func(r *foldRun) map[string]any {
			return map[string]any{"name": r.pick([]string{"Sanna Koordinaattori", "Jukka Järjestäjä", "Eeva Ek"})}
		})},
		"facilitator.remove": {1, fac(func(r *foldRun) map[string]any { return map[string]any{"facilitator": r.coFacilitator()} })},
		"groups.start": {2, fac(func(r *foldRun) map[string]any {
			f := map[string]any{"item": r.item(), "placement": r.pick(session.Placements), "live": r.chance(25), "dots": r.pick2(0, 2, 3)}
			n := 2 + r.rnd.IntN(3)
			var gs []map[string]any
			for k := range n {
				gs = append(gs, map[string]any{"name": fmt.Sprintf("Ryhmä %d", k+1), "topic": r.pick([]string{"", "Tilat", "Viestintä", "Avustukset"})})
			}
			f["groups"] = gs
			if r.chance(40) && len(r.m.tbl.Groups) > 0 {
				f["rooms"] = []string{r.group()}
			}
			return f
		})},
		"groups.end": {1, fac(func(r *foldRun) map[string]any { return nil })},
		"action.link": {2, fac(func(r *foldRun) map[string]any {
			return map[string]any{"action": r.action(), "label": r.pick(names)}
		})},
		"action.unlink": {1, fac(func(r *foldRun) map[string]any {
			links := r.m.tbl.UpdateLinks
			if len(links) == 0 || r.chance(5) {
				return map[string]any{"link": "id-nolink"}
			}
			return map[string]any{"link": links[r.rnd.IntN(len(links))].ID}
		})},
		"action.update": {3, func(r *foldRun) (session.Who, map[string]any) {
			f := map[string]any{"status": r.pick([]string{"open", "in_progress", "done", "x"}), "note": r.pick(notes)}
			if links := r.m.tbl.UpdateLinks; len(links) > 0 && r.chance(70) {
				return session.Who{Role: session.RoleOwner, ID: links[r.rnd.IntN(len(links))].ID}, f
			}
			f["action"] = r.action()
			return r.facilitator(), f
		}},
		"ideas.import": {1, fac(func(r *foldRun) map[string]any {
			rows := []map[string]any{}
			for range 1 + r.rnd.IntN(3) {
				row := map[string]any{"text": r.pick(ideaTexts), "onBehalf": r.pick(names)}
				if r.chance(50) {
					row["group"], row["dots"] = r.group(), r.rnd.IntN(6)
				}
				rows = append(rows, row)
			}
			return map[string]any{"item": r.item(), "rows": rows}
		})},
		"caption.add": {3, func(r *foldRun) (session.Who, map[string]any) {
			return session.Who{Role: session.RoleInterpreter}, map[string]any{"text": r.pick(notes)}
		}},
		"groups.broadcast": {1, fac(func(r *foldRun) map[string]any { return map[string]any{"text": r.pick(notes)} })},
		"group.move": {4, func(r *foldRun) (session.Who, map[string]any) {
			f := map[string]any{"group": r.workGroup()}
			if r.chance(40) {
				return r.member(), f
			}
			f["participant"] = r.participant()
			return r.facilitator(), f
		}},
		"group.reporter": {2, func(r *foldRun) (session.Who, map[string]any) {
			who, g := r.groupMember()
			return who, map[string]any{"group": g, "participant": r.memberOf(g)}
		}},
		"group.summary": {2, func(r *foldRun) (session.Who, map[string]any) {
			who, g := r.reporter()
			return who, map[string]any{"group": g, "summary": r.pick(notes)}
		}},
		"group.pick": {3, func(r *foldRun) (session.Who, map[string]any) {
			who, g := r.reporter()
			return who, map[string]any{"idea": r.groupIdea(g), "picked": r.chance(75)}
		}},
		"group.help": {2, func(r *foldRun) (session.Who, map[string]any) {
			who, g := r.groupMember()
			return who, map[string]any{"group": g, "help": who.Role != session.RoleFacilitator && r.chance(70)}
		}},
		"group.video": {1, fac(func(r *foldRun) map[string]any {
			return map[string]any{"group": r.workGroup(), "link": r.pick([]string{"https://meet.example.fi/ryhma-1", "https://meet.example.fi/ryhma-2", ""})}
		})},
		"idea.unhide": {4, fac(func(r *foldRun) map[string]any { return map[string]any{"idea": r.hiddenIdea()} })},
		"idea.merge": {5, fac(func(r *foldRun) map[string]any {
			idea := r.idea()
			return map[string]any{"idea": idea, "into": r.sibling(idea)}
		})},
		"vote.add": {16, func(r *foldRun) (session.Who, map[string]any) {
			return r.member(), map[string]any{"idea": r.idea()}
		}},
		"vote.remove": {6, func(r *foldRun) (session.Who, map[string]any) { return r.voteRemove() }},
		"room.dots": {8, func(r *foldRun) (session.Who, map[string]any) {
			f := map[string]any{"idea": r.idea(), "dots": r.rnd.IntN(9)}
			if r.chance(60) {
				return session.Who{Role: session.RoleScribe, ID: r.group()}, f
			}
			f["group"] = r.group()
			return r.m.fac, f
		}},
		"action.add": {4, func(r *foldRun) (session.Who, map[string]any) {
			f := map[string]any{"title": r.pick(actionTitles), "due": r.pick([]string{"", "2025-04-30", "2025-06-15"})}
			if r.chance(60) {
				f["ideas"] = []string{r.idea()}
			}
			if r.chance(50) {
				f["volunteer"] = r.chance(60)
				return r.member(), f
			}
			f["item"] = r.pick([]string{"", r.item()})
			f["owners"] = []map[string]any{{"participant": r.participant()}, {"org": r.pick(orgs[1:])}}[:r.rnd.IntN(3)]
			f["status"] = r.pick([]string{"", "open", "in_progress"})
			return r.m.fac, f
		}},
		"action.edit": {3, func(r *foldRun) (session.Who, map[string]any) {
			f := map[string]any{"action": r.action()}
			r.maybe(f, "title", r.pick(actionTitles))
			r.maybe(f, "due", r.pick([]string{"", "2025-05-31"}))
			r.maybe(f, "status", r.pick([]string{"open", "in_progress", "done"}))
			if r.chance(50) {
				return r.member(), f
			}
			r.maybe(f, "item", r.pick([]string{"", r.item()}))
			return r.m.fac, f
		}},
		"action.assign": {2, fac(func(r *foldRun) map[string]any {
			f := map[string]any{"action": r.action()}
			if r.chance(60) {
				f["participant"] = r.participant()
			} else {
				f["org"] = r.pick(orgs[1:])
			}
			return f
		})},
		"action.unassign": {2, fac(func(r *foldRun) map[string]any {
			a := r.action()
			return map[string]any{"action": a, "owner": r.owner(a)}
		})},
		"action.volunteer": {3, func(r *foldRun) (session.Who, map[string]any) {
			return r.member(), map[string]any{"action": r.action(), "org": r.chance(30)}
		}},
		"action.unvolunteer": {2, func(r *foldRun) (session.Who, map[string]any) { return r.unvolunteer() }},
		"action.remove":      {1, fac(func(r *foldRun) map[string]any { return map[string]any{"action": r.action()} })},
		"hand.raise":         {4, func(r *foldRun) (session.Who, map[string]any) { return r.member(), nil }},
		"hand.lower": {3, func(r *foldRun) (session.Who, map[string]any) {
			if r.chance(50) {
				return r.m.fac, map[string]any{"participant": r.participant()}
			}
			return r.member(), map[string]any{}
		}},
		"floor.give": {3, fac(func(r *foldRun) map[string]any {
			return map[string]any{"participant": r.pick([]string{"", r.participant(), r.participant()})}
		})},
		"queue.clear":  {1, fac(func(r *foldRun) map[string]any { return nil })},
		"group.add":    {1, fac(func(r *foldRun) map[string]any { return map[string]any{"name": r.pick(groupNames)} })},
		"group.rename": {1, fac(func(r *foldRun) map[string]any { return map[string]any{"group": r.group(), "name": r.pick(groupNames)} })},
		"group.remove": {1, fac(func(r *foldRun) map[string]any { return map[string]any{"group": r.group()} })},
		"join":         {2, nil},
		"followup.mark": {2, fac(func(r *foldRun) map[string]any {
			f := map[string]any{"action": "id-nofollow", "outcome": r.pick([]string{"done", "carried", "carried", "dropped", ""})}
			if fs := r.m.tbl.FollowUps; len(fs) > 0 && !r.chance(5) {
				f["action"] = fs[r.rnd.IntN(len(fs))].Action
			}
			r.maybe(f, "note", r.pick(notes))
			return f
		})},
	}
	foldOpNames = slices.Sorted(maps.Keys(foldOps))
	for _, o := range foldOps {
		foldOpWeight += o.weight
	}
}

func TestFoldGeneratorCoversEveryOp(t *testing.T) {
	for _, op := range session.Ops() {
		if _, ok := foldOps[op]; !ok {
			t.Errorf("the fold property test has no generator for op %s", op)
		}
	}
}

// next draws one command. With join set, it is a guest joining.
func (r *foldRun) next(join bool) (string, session.Who, session.Command) {
	op := "join"
	if !join {
		n := r.rnd.IntN(foldOpWeight)
		for _, name := range foldOpNames {
			if n -= foldOps[name].weight; n < 0 {
				op = name
				break
			}
		}
		op = r.inPhase(op)
	}
	if op == "join" {
		r.joins++
		token := fmt.Sprintf("tok-seed%d-join%d", r.seed, r.joins)
		return op, r.m.guest, &session.Join{Name: r.pick(names), Org: r.pick(orgs), Sector: r.pick(session.Sectors),
			TokenHash: session.HashSecret(token)}
	}
	who, fields := foldOps[op].gen(r)
	msg := map[string]any{"id": fmt.Sprintf("s%d-%d", r.seed, r.step), "op": op}
	for k, v := range fields {
		msg[k] = v
	}
	b, err := json.Marshal(msg)
	if err != nil {
		r.t.Fatal(err)
	}
	_, _, cmd, err := session.ParseCommand(b)
	if err != nil {
		r.t.Fatalf("the generator made a message that does not parse: %s: %v", b, err)
	}
	return op, who, cmd
}

// inPhase often replaces a drawn op with one the current item's phase
// takes, so that votes, merges of voted ideas and volunteering happen often.
func (r *foldRun) inPhase(op string) string {
	tbl := r.m.tbl
	if tbl.Closed {
		if r.chance(25) {
			return "table.reopen"
		}
		return op
	}
	it, _ := findItem(tbl, tbl.Current)
	if it == nil || tbl.Locked || !r.chance(40) {
		return op
	}
	switch it.Phase {
	case session.PhaseCollect:
		if r.running() != nil && r.chance(50) {
			return r.pick([]string{"idea.add", "idea.add", "vote.add", "vote.add", "group.move", "group.reporter", "group.summary", "group.pick", "group.help", "groups.end"})
		}
		return r.pick([]string{"idea.add", "idea.add", "idea.add", "idea.edit", "idea.delete", "idea.hide", "idea.approve", "groups.start"})
	case session.PhaseVote:
		return r.pick([]string{"vote.add", "vote.add", "vote.add", "vote.remove", "room.dots", "room.dots", "idea.merge", "idea.hide", "idea.unhide", "item.reveal"})
	case session.PhaseActions:
		return r.pick([]string{"action.add", "action.volunteer", "action.volunteer", "action.unvolunteer", "action.edit"})
	}
	return op
}

func findItem(tbl *session.Table, id string) (*session.Item, int) {
	for i, it := range tbl.Items {
		if it.ID == id {
			return it, i
		}
	}
	return nil, -1
}

func (r *foldRun) chance(percent int) bool { return r.rnd.IntN(100) < percent }

func (r *foldRun) pick(from []string) string { return from[r.rnd.IntN(len(from))] }

// maybe sets a field half of the time.
func (r *foldRun) maybe(f map[string]any, key string, v any) {
	if r.chance(50) {
		f[key] = v
	}
}

// member is a participant as a caller: usually one who is still at the table.
func (r *foldRun) member() session.Who {
	return session.Who{Role: session.RoleParticipant, ID: r.participant()}
}

// participant is an id of someone who joined, rarely a removed one or none.
func (r *foldRun) participant() string {
	people := r.m.tbl.People
	if r.chance(3) {
		return "id-nobody"
	}
	for range 4 {
		id := people[r.rnd.IntN(len(people))]
		if !r.m.tbl.Participants[id].Removed {
			return id
		}
	}
	return people[r.rnd.IntN(len(people))]
}

// item is usually the current item.
func (r *foldRun) item() string {
	items := r.m.tbl.Items
	switch {
	case r.chance(2) || len(items) == 0:
		return "id-noitem"
	case r.chance(65) && r.m.tbl.Current != "":
		return r.m.tbl.Current
	}
	return items[r.rnd.IntN(len(items))].ID
}

// idea is usually an idea of the current item.
func (r *foldRun) idea() string {
	var current, all []string
	for _, id := range r.m.tbl.IdeaOrder {
		all = append(all, id)
		if r.m.tbl.Ideas[id].Item == r.m.tbl.Current {
			current = append(current, id)
		}
	}
	switch {
	case len(all) == 0 || r.chance(2):
		return "id-noidea"
	case len(current) > 0 && r.chance(80):
		return r.pick(current)
	}
	return r.pick(all)
}

// hiddenIdea is usually a hidden idea, when there is one.
func (r *foldRun) hiddenIdea() string {
	var hidden []string
	for _, id := range r.m.tbl.IdeaOrder {
		if r.m.tbl.Ideas[id].Hidden {
			hidden = append(hidden, id)
		}
	}
	if len(hidden) > 0 && r.chance(85) {
		return r.pick(hidden)
	}
	return r.idea()
}

// sibling is another idea of the same item, usually.
func (r *foldRun) sibling(idea string) string {
	i := r.m.tbl.Ideas[idea]
	if i == nil {
		return r.idea()
	}
	var same []string
	for _, id := range r.m.tbl.IdeaOrder {
		if id != idea && r.m.tbl.Ideas[id].Item == i.Item {
			same = append(same, id)
		}
	}
	if len(same) == 0 || r.chance(5) {
		return r.idea()
	}
	return r.pick(same)
}

// ideaOwner is an idea with a caller who may change it: its author, its
// group's scribe, or the facilitator.
func (r *foldRun) ideaOwner() (session.Who, string) {
	idea := r.idea()
	i := r.m.tbl.Ideas[idea]
	switch {
	case i == nil || r.chance(25):
		return r.m.fac, idea
	case i.Author != "":
		return session.Who{Role: session.RoleParticipant, ID: i.Author}, idea
	case i.Group != "":
		return session.Who{Role: session.RoleScribe, ID: i.Group}, idea
	}
	return r.m.fac, idea
}

// ideaAdd is an idea from a participant (sometimes anonymous), a scribe, or
// the facilitator for someone in the room.
func (r *foldRun) ideaAdd() (session.Who, map[string]any) {
	f := map[string]any{"item": r.item(), "text": r.pick(ideaTexts)}
	switch n := r.rnd.IntN(100); {
	case n < 60:
		f["anonymous"] = r.chance(35)
		return r.member(), f
	case n < 80:
		return session.Who{Role: session.RoleScribe, ID: r.group()}, f
	default:
		if r.chance(40) {
			f["group"] = r.group()
		}
		if r.chance(50) {
			f["onBehalf"] = r.pick(names)
		}
		return r.m.fac, f
	}
}

// voteRemove takes back a dot someone placed, usually.
func (r *foldRun) voteRemove() (session.Who, map[string]any) {
	type dot struct{ voter, idea string }
	var dots []dot
	for _, byVoter := range r.m.tbl.Ballots {
		for voter, ballot := range byVoter {
			for idea := range ballot {
				dots = append(dots, dot{voter, idea})
			}
		}
	}
	if len(dots) == 0 || r.chance(10) {
		return r.member(), map[string]any{"idea": r.idea()}
	}
	// Ballots are maps: sort for a deterministic draw.
	slices.SortFunc(dots, func(a, b dot) int { return strings.Compare(a.voter+"/"+a.idea, b.voter+"/"+b.idea) })
	d := dots[r.rnd.IntN(len(dots))]
	return session.Who{Role: session.RoleParticipant, ID: d.voter}, map[string]any{"idea": d.idea}
}

// group is a room group's id, rarely none.
func (r *foldRun) group() string {
	if len(r.m.tbl.Groups) == 0 || r.chance(3) {
		return "id-nogroup"
	}
	return r.m.tbl.Groups[r.rnd.IntN(len(r.m.tbl.Groups))].ID
}

// action is an action's id, often one of the current item, rarely none.
func (r *foldRun) action() string {
	if len(r.m.tbl.ActionOrder) == 0 || r.chance(3) {
		return "id-noaction"
	}
	var current []string
	for _, id := range r.m.tbl.ActionOrder {
		if a := r.m.tbl.Actions[id]; a.Item == r.m.tbl.Current || a.Item == "" {
			current = append(current, id)
		}
	}
	if len(current) > 0 && r.chance(60) {
		return r.pick(current)
	}
	return r.pick(r.m.tbl.ActionOrder)
}

// unvolunteer is usually a participant who owns an action, with that action.
func (r *foldRun) unvolunteer() (session.Who, map[string]any) {
	type own struct{ participant, action string }
	var owns []own
	for _, id := range r.m.tbl.ActionOrder {
		for _, o := range r.m.tbl.Actions[id].Owners {
			if o.Participant != "" {
				owns = append(owns, own{o.Participant, id})
			}
		}
	}
	if len(owns) == 0 || r.chance(10) {
		return r.member(), map[string]any{"action": r.action()}
	}
	o := owns[r.rnd.IntN(len(owns))]
	return session.Who{Role: session.RoleParticipant, ID: o.participant}, map[string]any{"action": o.action}
}

// owner is one of the action's owners' ids, rarely none.
func (r *foldRun) owner(action string) string {
	a := r.m.tbl.Actions[action]
	if a == nil || len(a.Owners) == 0 || r.chance(5) {
		return "id-noowner"
	}
	return a.Owners[r.rnd.IntN(len(a.Owners))].ID
}

// tableEdit changes some of the table's details.
func (r *foldRun) tableEdit() map[string]any {
	f := map[string]any{}
	r.maybe(f, "title", r.pick([]string{demoTitle, "Ähtärin ja Soinin kumppanuuspöytä, kevät", "Kumppanuuspöytä 2"}))
	r.maybe(f, "theme", r.pick([]string{demoTheme, "Miten järjestöt ja kunta tekevät yhdessä?"}))
	r.maybe(f, "date", r.pick([]string{"", "2025-03-12", "2025-03-19"}))
	r.maybe(f, "start", r.pick([]string{"", "17:00", "18:00"}))
	r.maybe(f, "end", r.pick([]string{"", "19:30"}))
	r.maybe(f, "room", r.pick([]string{"", "Soinin kunnantalo"}))
	r.maybe(f, "link", r.pick([]string{"", "https://meet.example.fi/kumppanuuspoyta"}))
	r.maybe(f, "lang", r.pick(session.Languages))
	if r.chance(30) {
		f["facilitators"] = []string{"Sanna Koordinaattori", "Jukka Järjestäjä"}[:r.rnd.IntN(3)]
	}
	r.maybe(f, "allowAnonymous", r.chance(70))
	r.maybe(f, "dots", 1+r.rnd.IntN(5))
	r.maybe(f, "multiDot", r.chance(50))
	r.maybe(f, "moderated", r.chance(50))
	r.maybe(f, "captionsOnScreen", r.chance(50))
	r.maybe(f, "captionsInMinutes", r.chance(30))
	return f
}

// pick2 picks one of a few numbers.
func (r *foldRun) pick2(from ...int) int { return from[r.rnd.IntN(len(from))] }

// running is the table's group work in progress, or nil.
func (r *foldRun) running() *session.GroupWork {
	for _, w := range r.m.tbl.Works {
		if w.Running {
			return w
		}
	}
	return nil
}

// workGroup is a group of the running group work, usually.
func (r *foldRun) workGroup() string {
	w := r.running()
	if w == nil || r.chance(5) {
		return r.group()
	}
	return w.Groups[r.rnd.IntN(len(w.Groups))]
}

// memberOf is a member of a group, usually, or anyone.
func (r *foldRun) memberOf(g string) string {
	var ms []string
	if w := r.running(); w != nil {
		for _, id := range r.m.tbl.People {
			if w.Members[id] == g {
				ms = append(ms, id)
			}
		}
	}
	if len(ms) == 0 || r.chance(10) {
		return r.participant()
	}
	return r.pick(ms)
}

// groupMember is who acts for a group: a member, its scribe, or a
// facilitator, and the group.
func (r *foldRun) groupMember() (session.Who, string) {
	g := r.workGroup()
	switch n := r.rnd.IntN(100); {
	case n < 60:
		return session.Who{Role: session.RoleParticipant, ID: r.memberOf(g)}, g
	case n < 70:
		return session.Who{Role: session.RoleScribe, ID: r.group()}, g
	}
	return r.facilitator(), g
}

// reporter is usually a group's reporter, and the group.
func (r *foldRun) reporter() (session.Who, string) {
	who, g := r.groupMember()
	if w := r.running(); w != nil && who.Role == session.RoleParticipant && r.chance(80) {
		if tm := w.Teams[g]; tm != nil && tm.Reporter != "" {
			return session.Who{Role: session.RoleParticipant, ID: tm.Reporter}, g
		}
	}
	return who, g
}

// groupIdea is an idea of a group, usually.
func (r *foldRun) groupIdea(g string) string {
	var ideas []string
	for _, id := range r.m.tbl.IdeaOrder {
		if i := r.m.tbl.Ideas[id]; i.InGroup && i.Group == g {
			ideas = append(ideas, id)
		}
	}
	if len(ideas) == 0 || r.chance(5) {
		return r.idea()
	}
	return r.pick(ideas)
}

// facilitator is who sends a facilitator's command: usually the table's
// creator, sometimes a co-facilitator, now and then a removed one.
func (r *foldRun) facilitator() session.Who {
	cos := r.m.tbl.CoFacilitators
	if len(cos) == 0 || r.chance(70) {
		return r.m.fac
	}
	return session.Who{Role: session.RoleFacilitator, ID: cos[r.rnd.IntN(len(cos))].ID}
}

// coFacilitator is a co-facilitator's id, rarely none.
func (r *foldRun) coFacilitator() string {
	cos := r.m.tbl.CoFacilitators
	if len(cos) == 0 || r.chance(3) {
		return "id-nofacilitator"
	}
	return cos[r.rnd.IntN(len(cos))].ID
}

// pendingIdea is an idea that waits for review, usually, if there is one.
func (r *foldRun) pendingIdea() string {
	var pending []string
	for _, id := range r.m.tbl.IdeaOrder {
		if r.m.tbl.Ideas[id].Pending {
			pending = append(pending, id)
		}
	}
	if len(pending) > 0 && r.chance(90) {
		return r.pick(pending)
	}
	return r.idea()
}

// Finnish demo texts.
var (
	names = []string{"Matti Meikäläinen", "Liisa Virtanen", "Aino Asukas", "Pekka Korhonen", "Maija Mehiläinen",
		"Jussi Järvinen", "Eeva Ek", "Ville Väänänen"}
	orgs = []string{"", "Ähtärin Urheilijat ry", "Ähtärin kaupunki", "Soinin Marttayhdistys ry", "Soinin Nuorisoseura ry",
		"Ähtärin Yrittäjät ry", "Etelä-Pohjanmaan hyvinvointialue"}
	itemTitles = []string{"Kaupungin tervehdys", "Keskustelu: järjestöystävällinen kunta", "Tilat ja avustukset",
		"Konkreettiset yhteistyön askeleet ja toteuttajatiimi", "Seuraava kumppanuuspöytä"}
	questions = []string{"", demoQuestion, "Mitä teemme ensin?", "Kuka vastaa mistäkin?"}
	ideaTexts = []string{"Liikuntapaikat maksutta lasten harrastuksille", "Nuorten ääni kuuluviin",
		"Avustushaku yhdelle lomakkeelle", "Järjestöyhdyshenkilö kaupungille", "Kyläkoulun tilat iltaisin",
		"Yhteinen tapahtumakalenteri", "Vapaaehtoisten kiitosilta", "Seurojen salivuorot reilusti"}
	actionTitles = []string{"Yhteinen tapahtumakalenteri verkkoon", "Avustusten hakuohjeet selkokielellä",
		"Järjestöyhdyshenkilön tehtävänkuva", "Tilojen varausjärjestelmä"}
	notes      = []string{"", "Sovittiin, että kalenteri avataan keväällä.", "Päätös: yhdyshenkilö nimetään."}
	groupNames = []string{"Sali, pöytä 2", "Sali, pöytä 3", "Sali, takarivi", "Lehtereillä"}
)
