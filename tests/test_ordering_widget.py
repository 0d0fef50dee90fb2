"""An ordering question in JupyterLab never holds one step twice: choosing a step that is
already placed elsewhere swaps the two (set .value, as a learner's choice would)."""


def steps(view) -> list[int]:
    return [dropdown.value for dropdown in view.answer.children]


def test_choosing_a_placed_step_swaps_it(sample_lesson):
    view = sample_lesson.quiz("fx-ordering")._make_view().view("fx-ordering")
    before = steps(view)
    first, second = view.answer.children[0], view.answer.children[1]
    first.value = before[1]
    assert steps(view)[:2] == [before[1], before[0]]
    assert sorted(steps(view)) == sorted(before)
    second.value = before[1]  # back again
    assert steps(view) == before


def test_every_choice_keeps_the_order_a_permutation(sample_lesson):
    view = sample_lesson.quiz("fx-ordering")._make_view().view("fx-ordering")
    count = len(view.answer.children)
    for position in range(count):
        for step in range(count):
            view.answer.children[position].value = step
            assert sorted(steps(view)) == list(range(count))
