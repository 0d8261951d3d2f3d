"""What is switched off is said in plain words: one map, or several."""


def test_one_map_is_a_map(window):
    network = window.session.network
    network.set_switched_off("S2", 2, True)
    assert network.describe_experiments() == "S2 map 2 off"
    network.set_switched_off("S2", 4, True)
    network.set_switched_off("F6", 7, True)
    assert network.describe_experiments() == "S2 maps 2, 4 off; F6 unit 7 off"
