"""Free-text decision guides written blind (tests/evaluation/guide/), over REST with the real servers.

The scenarios' writers saw only what a user sees in the chat (the eight questions and their buttons); two other
helpers read the expected outcome from the novita.ai article's guide independently, and only the scenarios they
agreed on are kept. Each set is gated on its own. Sealed sets print totals only.

Scenario users always answer (a yes/no confirmation truthfully, from the option they mean), so any question asked
a third time in a row means the guide could not read them (stuck). Gates are floors just under the figures of
2026-12-04 after the answer reader (branch guide), so that no set can collapse unnoticed; issue 14's target
(sealed: expected outcome >= 0.95) is not reached yet, nothing is stuck:
development 38/40 reached, 0 stuck; sealed 33/40 reached, 0 stuck (branch guide2, weights revised to the article;
before it 34/40 and 30/40; before the reader 25/40 and 24/40, 1 stuck).

development_second holds 40 scenarios written later by a new helper, the same way, and labelled the same way (both
labellers agreed on all 40). Played against the guide that had been tuned on `development`, it reached 26/40: the
first figure on scenarios nobody had tuned on, and the reason it is kept as a set of its own. Vocabulary added from
its unread answers (knowledge/decision_guide.yml) took it to 28/40, now in-sample; the rest are mostly scenarios
whose labellers wanted a hybrid where the article's weights, read with the options meant, give another outcome.
Sealed after that vocabulary: 34/40 (from 32/40), scored once, totals only.

development_third (2026-12-05) holds 40 more, written and labelled the same way by new helpers (the labellers
agreed on all 40). Played once before any change made from it: 28/40, 0 stuck, 4 openings that did not start the
guide. Its readings showed the guide filling factors nobody was asked about from words that say nothing about them
("kinda", "Hugging Face", a helpdesk "export" read as "expert"); after the reader's fixes and vocabulary: 34/40,
now in-sample.

development_fourth (2026-12-05, later) holds 40 more, written and labelled the same way (the labellers agreed on all
40), and was first played after those fixes: 30/40, 0 stuck, but 9 openings ended without a result ("yo", "Good
afternoon ... someone suggested I ask you something", "looking to generate drum loops", "i need help writing grant
applications"). The same scenarios against the main of the session before: 29/40. After the greeting, the help
answer and every answer to a message that states a project need offered the guide's button: 36/40, in-sample;
38/40 after vocabulary from its answers.

development_fifth (2026-12-05, later still), written and labelled the same way (agreed on all 40), was first played
after all of that: 30/40, 0 stuck, 7 ended without a result; the main of the session before reached 24/40 on it
(14 without a result). After more ways of stating a project ("We're a hospital research group", "I sell on Etsy",
"Budget is tight", "which AI can make ...", the bot asked whether it recommends models): 36/40, in-sample.

development_sixth (2026-12-05, the last of the day's sets), written and labelled the same way (agreed on all 40),
was first played after the fifth set's fixes: 23/40, 0 stuck, 10 without a result; the main of the session before
reached 19/40 (16 without a result). Its openings ask whether AI can do a thing for a project ("could AI make short
jingles for each episode", "pixel art sprites for my game?", "Agency here, ..."); once those led to the guide, one
answer ("I've drawn about 500 sprites myself so far") read as a request for the summary and left the user stuck:
a summary or "why do you ask?" now needs a word of its own while a question is open. 29/40, in-sample; five of its
misses are scenarios whose labellers read a hybrid or a generative model where the article's weights, fed the
options meant, give another outcome (`python -m bench.guide_ceiling --set development_sixth`: 35 of 40).
Sealed after all of the day's fixes, scored once, totals only: 35/40 (from 32/40), 0 stuck, 1 without a result.
"""

import json
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from bench.guide_scenarios import SETS, Run, load, run_scenario, summary
from explainer.kb import KnowledgeBase
from tests.support.servers import MODEL, ROOT, Assistant, running_assistant, say

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]
SCENARIO_SETS = sorted(SETS.glob("*.yml"))
# (least share reaching the expected outcome, most stuck) per set: today's figures less a little noise.
# After an eighth round of training sentences (2026-12-05): development 38/40, second set 28/40, sealed 33/40 (one
# fewer); the sealed floor goes one scenario under.
# After a ninth and tenth round (later the same day): development 37/40 (one fewer: an opening now read as a concept
# question with no concept), second set 28/40, sealed 33/40; floors unchanged.
# After combinations of answers in the scoring, task complexity read only when asked, and an eleventh round of
# training sentences (2026-12-05, a new session): development 37/40, second set 31/40 (33 before the round),
# sealed 34/40 (one more), one ended without a result; floors one scenario under.
# After a twelfth round of training sentences and answer-reading changes chosen on the development sets (2026-12-05,
# a later session): development 37/40, second set 33/40 (two more), sealed 32/40 (two fewer; its errors are not
# read, and nothing was changed after it was scored), none stuck, two ended without a result. Floors one scenario
# under: the sealed floor is lowered with this change, which this comment and the commit say.
# After the runner takes the guide when the bot offers it, the offer on answers to a project question, and the guide
# keeping what the offered message said (2026-12-05, a new session): development 38/40 (one offer taken), second set
# 35/40 (two offers taken, two more reached), sealed 32/40 (unchanged, no offer taken, two ended without a result).
# The second set's floor goes one scenario under its figure.
# After two more blind sets (seventh, eighth: 30/39 and 26/39 at their first run), content-led tie-breaks, step verbs,
# money bands and the stuck fixes (2026-12-05, a later session): development 38, second 35, third 38, fourth 39,
# fifth 37, sixth 31 (/40), seventh 33, eighth 35 (/39), sealed 35/40 (unchanged; scored once, totals only). Floors
# one scenario under each development figure; sealed unchanged.
# A ninth blind set (2026-12-05, evening): 33/40 at its first run, 35/40 after steps joined by "+" and a few words
# (stories as text data, victims as sensitive, "two separate jobs"); the other sets and sealed (35/40) unchanged.
# A tenth blind set (2026-12-06, 38 scenarios): 29/38 on the main the session started from, 30/38 with the session's
# first change (a project stated without a question is offered the guide), both before its errors were read; 34/38
# after the changes chosen on it and on a blind user test (help for "I'm lost", recommendation requests, openings
# naming what to make). Ninth 37/40, fourth 38/40 (one fewer: "fake ... chats" is now read as synthetic data, as its
# writer meant, and the labelled outcome differs from what those answers score), the others as before.
# An eleventh blind set (2026-12-06, a later session, 38 scenarios): 31/38 on the main that session started from and
# 31/38 with its first change, both before its errors were read; 33/38 after the changes chosen on it (content type
# "descriptions of photos" is text, chat shorthand, budget and expertise words). Ninth 37 -> 38/40; the others and
# sealed (36/40) unchanged. Its floor goes one scenario under.
# A twelfth blind set (2026-12-06, a third session that day, 38 scenarios): 30/38 with three scenarios stuck, both
# on the main that session started from and on its main before any change from this set; 32/38 and none stuck after
# a hedged answer ending with "?" is read before it is taken for a question, and "voiced lines" is audio. Two of the
# six misses are code projects its labellers put under generative models (28 of 30 code scenarios of the other
# sets are labelled LLM). The other sets unchanged. Its floor goes one scenario under.
# A second sealed set (2026-12-06, a fourth session that day, 40 scenarios written blind, labels agreed on all 40 and
# committed before the first run): 32/40, none stuck, two ended without a result, on a main whose guide is that of
# the session before. Totals only, like the first sealed set; its floor goes one scenario under.
FLOORS = {"development": (0.92, 0), "development_second": (0.85, 0), "development_third": (0.92, 0),
          "development_fourth": (0.92, 0), "development_fifth": (0.90, 0),
          "development_sixth": (0.75, 0), "development_seventh": (0.82, 0), "development_eighth": (0.87, 0),
          "development_ninth": (0.90, 0), "development_tenth": (0.86, 0), "development_eleventh": (0.84, 0),
          "development_twelfth": (0.81, 0),
          "sealed": (0.85, 0), "sealed_second": (0.77, 0)}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("scenarios")) as assistant:
        yield assistant


def test_every_set_is_there() -> None:
    assert {p.stem for p in SCENARIO_SETS} == set(FLOORS)
    assert all(len(load(p)) >= 30 for p in SCENARIO_SETS)


@pytest.mark.parametrize("path", SCENARIO_SETS, ids=lambda p: p.stem)
def test_each_set_reaches_its_outcomes_without_getting_stuck(stack: Assistant, kb: KnowledgeBase, path: Path) -> None:
    outcomes = {o.name: o.id for o in kb.guide.outcomes.values()}
    runs: List[Run] = [run_scenario(lambda u, t: say(stack.rest_port, u, t), s, outcomes) for s in load(path)]
    line = summary(path.stem, runs)
    print(line)
    results = ROOT / "results"
    results.mkdir(exist_ok=True)
    (results / f"guide_{path.stem}.txt").write_text(line + "\n", encoding="utf-8")
    least_reached, most_stuck = FLOORS[path.stem]
    stuck = [r for r in runs if r.stuck]
    reached = sum(r.reached for r in runs) / len(runs)
    # Sealed: totals only, never which scenarios failed.
    detail = "" if "sealed" in path.stem else f": {[(r.scenario, r.stuck) for r in stuck]}"
    assert len(stuck) <= most_stuck, f"{len(stuck)} scenarios of {path.stem} asked one question three times{detail}"
    assert reached >= least_reached, line
