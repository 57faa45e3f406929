import keras

model = keras.Sequential([
    keras.Input(shape=(6, 4)),
    keras.layers.Dense(8, name="first_hidden_layer_wide"),
    keras.layers.Dense(8, name="a_layer_name_longer_than_the_whole_column"),
    keras.layers.GlobalAveragePooling1D(),
    keras.layers.Dense(2, name="out"),
], name="a_sequential_model_with_a_long_name")
