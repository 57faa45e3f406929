import keras

model = keras.Sequential([
    keras.Input(shape=(12,)),
    keras.layers.Reshape((3, -1)),
    keras.layers.Permute((2, 1)),
    keras.layers.Flatten(),
    keras.layers.Dense(2),
])
