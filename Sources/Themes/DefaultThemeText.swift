/// The text of themes/default.theme, so blocktop has its default without any file (a test checks they match).
package let defaultThemeText = """
# blocktop default: dark, cool blues and greens, warm for heavy load.
# btop's format: theme[key]="#RRGGBB", "#BW" (grey) or "R G B"; "" leaves a key unset.

# Background (empty: the terminal's own) and text
theme[main_bg]="#15171C"
theme[main_fg]="#D3D7DE"
theme[title]="#F0F2F6"
theme[hi_fg]="#5CB2FF"
theme[inactive_fg]="#5F6673"
theme[graph_text]="#9AA2B1"
theme[meter_bg]="#2A2E36"
theme[div_line]="#343944"
theme[proc_misc]="#6BC68F"

# Box outlines: cores, memory and progress, workers, blocks
theme[cpu_box]="#3D79C9"
theme[mem_box]="#4E9E76"
theme[net_box]="#9168C4"
theme[proc_box]="#BF8540"

# Gradients: core load, memory in use, process CPU
theme[cpu_start]="#4CBFA3"
theme[cpu_mid]="#E3C254"
theme[cpu_end]="#DE5F5C"
theme[used_start]="#58A4E6"
theme[used_mid]="#A88AE6"
theme[used_end]="#DE6B9D"
theme[process_start]="#4CBFA3"
theme[process_mid]="#58A4E6"
theme[process_end]="#A88AE6"

# blocktop's own keys: block states, a core bar's two shares (blocktop, others), worker colours
theme[block_waiting]="#3B414C"
theme[block_ready]="#8893A6"
theme[block_done]="#4E9E76"
theme[block_failed]="#FF4B4B"
theme[cpu_own]="#4CBFA3"
theme[cpu_others]="#DE5F5C"
theme[worker_0]="#5CB2FF"
theme[worker_1]="#F0A847"
theme[worker_2]="#C27DF2"
theme[worker_3]="#E8D75A"
theme[worker_4]="#FF7A9C"
theme[worker_5]="#5FD9D0"
theme[worker_6]="#A3D95F"
theme[worker_7]="#F27D52"
"""
