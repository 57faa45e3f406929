import keras

numeric_features = keras.Input(shape=(12,), name="numeric_features")
categorical_features = keras.Input(shape=(12,), name="categorical_features")
numeric_projection_layer = keras.layers.Dense(12, name="numeric_projection_layer")(numeric_features)
a_categorical_projection_with_a_very_long_name = keras.layers.Dense(12, name="a_categorical_projection_with_a_very_long_name")(categorical_features)
sum_of_both_projections = keras.layers.Add(name="sum_of_both_projections")([numeric_projection_layer, a_categorical_projection_with_a_very_long_name, numeric_features, categorical_features])
dense = keras.layers.Dense(3)(sum_of_both_projections)
model = keras.Model(inputs=[numeric_features, categorical_features], outputs=dense, name="model_with_long_names")
